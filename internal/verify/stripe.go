package verify

// stripeLike is Stripe's scheme (providers.md §2), which Calendly copies:
// "t=<unix s>,v1=<hex>[,v1=<hex>...]" over "{t}.{body}", HMAC-SHA256. Only v1
// entries count (v0 is a test-mode leftover), and several v1 entries are sent
// while a secret rolls. The whsec_ secret is the key verbatim, not decoded.
func stripeLike(header string) *scheme {
	return &scheme{
		headers: []string{header},
		alg:     algSHA256,
		enc:     encHex,
		list:    sigList{format: listPairs, sep: ",", tsKey: "t", tag: "v1"},
		content: "{timestamp}.{body}",
		ts:      tsSource{inSig: true, unit: unitSeconds},
	}
}

var (
	stripeScheme   = stripeLike("Stripe-Signature")
	calendlyScheme = stripeLike("Calendly-Webhook-Signature")
)
