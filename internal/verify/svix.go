package verify

// standardScheme is Standard Webhooks (providers.md §4, family F4): headers
// <p>-id, <p>-timestamp, <p>-signature; the signature header is a space list
// of "v1,<base64>" (several while keys rotate; v1a Ed25519 entries are
// skipped); HMAC-SHA256 over "{id}.{timestamp}.{body}"; the key is the
// base64 after "whsec_". Each header is looked up under every prefix in turn,
// so Svix-branded senders (svix-*) and unbranded ones (webhook-*) both work.
func standardScheme(prefixes ...string) *scheme {
	names := func(suffix string) []string {
		out := make([]string, len(prefixes))
		for i, p := range prefixes {
			out[i] = p + suffix
		}
		return out
	}
	return &scheme{
		headers: names("-signature"),
		alg:     algSHA256,
		enc:     encBase64,
		list:    sigList{format: listVersioned, tag: "v1"},
		content: "{id}.{timestamp}.{body}",
		ts:      tsSource{headers: names("-timestamp"), unit: unitSeconds},
		id:      names("-id"),
		key:     keyWhsec,
	}
}

var (
	svixScheme     = standardScheme("svix", "webhook")
	svixDeliveryID = idSource{headers: []string{"svix-id", "webhook-id"}}
)
