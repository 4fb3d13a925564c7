package verify

// revolutScheme is Revolut Business and Merchant (providers.md §6):
// Revolut-Signature "v1=<hex>[,v1=<hex>...]" (several while an old secret is
// still active), HMAC-SHA256 over "v1.{timestamp}.{body}", where
// Revolut-Request-Timestamp is in milliseconds.
var revolutScheme = &scheme{
	headers: []string{"Revolut-Signature"},
	alg:     algSHA256,
	enc:     encHex,
	list:    sigList{format: listTagged, tag: "v1"},
	content: "v1.{timestamp}.{body}",
	ts:      tsSource{headers: []string{"Revolut-Request-Timestamp"}, unit: unitMillis},
}
