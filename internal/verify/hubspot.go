package verify

import (
	"crypto/hmac"
	"crypto/sha256"
	"strings"
)

// hubspotAuth is HubSpot (providers.md F5). v3 is an HMAC row of the engine;
// the legacy v1 and v2 signatures are plain SHA-256 (not HMAC) of the client
// secret followed by the body (v1) or by method, URI and body (v2), which
// HubSpot still sends for workflow webhooks and CRM cards.
type hubspotAuth struct{}

var _ authenticator = hubspotAuth{}

var hubspotV3 = &scheme{
	headers: []string{"X-HubSpot-Signature-v3"},
	alg:     algSHA256,
	enc:     encBase64,
	content: "{method}{url}{body}{timestamp}",
	ts:      tsSource{headers: []string{"X-HubSpot-Request-Timestamp"}, unit: unitMillis},
	urls:    hubspotURLs,
}

func (hubspotAuth) authenticate(in input) (int, error) {
	if len(headerLines(in.req.Header, hubspotV3.headers)) > 0 {
		return hubspotV3.authenticate(in)
	}
	sigHex := headerValue(in.req.Header, "X-HubSpot-Signature")
	if sigHex == "" {
		return -1, ErrMissingSignature
	}
	sig, ok := encHex.decode(sigHex)
	if !ok {
		return -1, ErrInvalidSignature
	}
	version := strings.ToLower(headerValue(in.req.Header, "X-HubSpot-Signature-Version"))
	if version != "" && version != "v1" && version != "v2" {
		return -1, ErrInvalidSignature
	}
	for i, secret := range in.secrets {
		h := sha256.New()
		h.Write([]byte(secret))
		if version == "v2" {
			h.Write([]byte(in.req.Method + in.req.URL))
		}
		h.Write(in.req.Body)
		if hmac.Equal(h.Sum(nil), sig) {
			return i, nil
		}
	}
	return -1, ErrInvalidSignature
}

func (hubspotAuth) checkSecret(string) error { return nil }

// hubspotDecoder undoes the escapes HubSpot's docs say it decodes before
// signing a v3 URI; the list is unconfirmed and the official SDK signs the
// URI as given (providers.md §14.4), so both spellings are tried.
var hubspotDecoder = strings.NewReplacer(
	"%3A", ":", "%2F", "/", "%3F", "?", "%40", "@", "%21", "!", "%24", "$",
	"%27", "'", "%28", "(", "%29", ")", "%2A", "*", "%2C", ",", "%3B", ";",
	"%3a", ":", "%2f", "/", "%3f", "?", "%2a", "*", "%2c", ",", "%3b", ";",
)

func hubspotURLs(u string) []string {
	if d := hubspotDecoder.Replace(u); d != u {
		return []string{u, d}
	}
	return []string{u}
}
