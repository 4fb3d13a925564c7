package verify

// The other F3 rows of providers.md §8: a timestamp signed with the body.
var (
	// Webflow: x-webflow-signature hex over "{ts_ms}:{body}".
	webflowScheme = &scheme{
		headers: []string{"x-webflow-signature"},
		alg:     algSHA256,
		enc:     encHex,
		content: "{timestamp}:{body}",
		ts:      tsSource{headers: []string{"x-webflow-timestamp"}, unit: unitMillis},
	}
	// Recurly: recurly-signature "<ts_ms>,<hex>[,<hex>...]" over "{ts}.{body}".
	recurlyScheme = &scheme{
		headers: []string{"recurly-signature"},
		alg:     algSHA256,
		enc:     encHex,
		list:    sigList{format: listLeadingTS},
		content: "{timestamp}.{body}",
		ts:      tsSource{inSig: true, unit: unitMillis},
	}
	// Zendesk: base64 over "{ts}{body}"; the timestamp's format is unsure
	// (providers.md §14.3), so it is signed as text and only checked when it
	// reads as RFC 3339 or unix time.
	zendeskScheme = &scheme{
		headers: []string{"X-Zendesk-Webhook-Signature"},
		alg:     algSHA256,
		enc:     encBase64,
		content: "{timestamp}{body}",
		ts:      tsSource{headers: []string{"X-Zendesk-Webhook-Signature-Timestamp"}, unit: unitLoose},
	}
	// Twitch EventSub: "sha256=<hex>" over "{message id}{RFC 3339 ts}{body}".
	twitchScheme = &scheme{
		headers: []string{"Twitch-Eventsub-Message-Signature"},
		alg:     algSHA256,
		enc:     encHex,
		prefix:  "sha256=",
		content: "{id}{timestamp}{body}",
		ts:      tsSource{headers: []string{"Twitch-Eventsub-Message-Timestamp"}, unit: unitRFC3339},
		id:      []string{"Twitch-Eventsub-Message-Id"},
	}
	// Linear: a plain body MAC, but the timestamp (ms) is a body field.
	linearScheme = &scheme{
		headers: []string{"Linear-Signature"},
		alg:     algSHA256,
		enc:     encHex,
		content: "{body}",
		ts:      tsSource{json: "webhookTimestamp", unit: unitMillis},
	}
	// Square: base64 over "{notification url}{body}" (URL-bound, F5).
	squareScheme = &scheme{
		headers: []string{"x-square-hmacsha256-signature"},
		alg:     algSHA256,
		enc:     encBase64,
		content: "{url}{body}",
	}
)

// bodyMAC is an F1, F1s or F2 row: a MAC of the raw body alone in one header.
// Where a provider has renamed its header, every name is listed.
func bodyMAC(alg algorithm, enc encoding, prefix string, headers ...string) *scheme {
	return &scheme{headers: headers, alg: alg, enc: enc, prefix: prefix, content: "{body}"}
}
