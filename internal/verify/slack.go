package verify

// v0Scheme is Slack's scheme (providers.md §3), which Zoom copies:
// "v0=<hex>" HMAC-SHA256 over "v0:<timestamp header>:<body>". One signature
// per request; rotation is ours (several configured secrets).
func v0Scheme(sigHeader, tsHeader string, u unit) *scheme {
	return &scheme{
		headers: []string{sigHeader},
		alg:     algSHA256,
		enc:     encHex,
		prefix:  "v0=",
		content: "v0:{timestamp}:{body}",
		ts:      tsSource{headers: []string{tsHeader}, unit: u},
	}
}

var (
	slackScheme = v0Scheme("X-Slack-Signature", "X-Slack-Request-Timestamp", unitSeconds)
	// Zoom's timestamp unit is not documented (providers.md §14.2): seconds
	// are expected, milliseconds are read too.
	zoomScheme = v0Scheme("x-zm-signature", "x-zm-request-timestamp", unitAuto)
)
