package verify

// paddleScheme is Paddle Billing (providers.md §5): "ts=<unix s>;h1=<hex>"
// HMAC-SHA256 over "{ts}:{body}". Unlike both official SDKs, several h1
// entries are accepted, any matching. Paddle's SDKs use a 5 s window; the
// webhook's configured tolerance governs here.
var paddleScheme = &scheme{
	headers: []string{"Paddle-Signature"},
	alg:     algSHA256,
	enc:     encHex,
	list:    sigList{format: listPairs, sep: ";", tsKey: "ts", tag: "h1"},
	content: "{timestamp}:{body}",
	ts:      tsSource{inSig: true, unit: unitSeconds},
}
