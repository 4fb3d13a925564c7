package verify

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"maps"
	"net"
	"net/url"
	"slices"
	"strings"
)

// twilioAuth is Twilio's URL-bound scheme (providers.md F5): X-Twilio-Signature
// is base64 HMAC-SHA1 (key: the Auth Token) over the URL Twilio called, then
// for a form POST every parameter sorted by name as name+value. A JSON body is
// instead bound by a bodySHA256 query parameter and the URL alone is signed.
type twilioAuth struct{}

var _ authenticator = twilioAuth{}

func (twilioAuth) authenticate(in input) (int, error) {
	sigText := headerValue(in.req.Header, "X-Twilio-Signature")
	if sigText == "" {
		return -1, ErrMissingSignature
	}
	sig, ok := decodeBase64(sigText)
	if !ok {
		return -1, ErrInvalidSignature
	}
	u, err := url.Parse(in.req.URL)
	if err != nil {
		return -1, ErrMisconfigured
	}
	params, ok := twilioParams(in.req, u)
	if !ok {
		return -1, ErrInvalidSignature
	}
	for i, secret := range in.secrets {
		for _, candidate := range twilioURLs(in.req.URL, u) {
			if hmac.Equal(twilioMAC(secret, candidate, params), sig) {
				return i, nil
			}
		}
	}
	return -1, ErrInvalidSignature
}

func (twilioAuth) checkSecret(string) error { return nil }

// twilioParams returns the signed POST parameters, or checks the body hash
// when the URL carries bodySHA256 (then nothing but the URL is signed).
func twilioParams(r Request, u *url.URL) (url.Values, bool) {
	if want := u.Query().Get("bodySHA256"); want != "" {
		got := sha256.Sum256(r.Body)
		w, err := hex.DecodeString(want)
		return nil, err == nil && hmac.Equal(got[:], w)
	}
	if r.Method == "GET" || len(r.Body) == 0 {
		return nil, true
	}
	// A body that is not a valid form simply fails the MAC.
	params, _ := url.ParseQuery(string(r.Body))
	return params, true
}

// twilioMAC follows twilio-node: repeated names have their values
// de-duplicated and sorted, each appended as name+value.
func twilioMAC(secret, u string, params url.Values) []byte {
	mac := hmac.New(sha1.New, []byte(secret))
	io.WriteString(mac, u)
	for _, name := range slices.Sorted(maps.Keys(params)) {
		vals := slices.Compact(slices.Sorted(slices.Values(params[name])))
		for _, v := range vals {
			io.WriteString(mac, name)
			io.WriteString(mac, v)
		}
	}
	return mac.Sum(nil)
}

// twilioURLs is twilio-node's candidate set: Twilio's own signing is
// inconsistent about the default port and the query's escaping, so the URL
// as given, with and without the port, and each with the legacy query
// escaping are all tried.
func twilioURLs(raw string, u *url.URL) []string {
	out := []string{raw}
	withPort, withoutPort := *u, *u
	if u.Port() == "" {
		port := "443"
		if u.Scheme == "http" {
			port = "80"
		}
		withPort.Host = net.JoinHostPort(u.Hostname(), port)
	} else if h := u.Hostname(); strings.Contains(h, ":") {
		withoutPort.Host = "[" + h + "]"
	} else {
		withoutPort.Host = h
	}
	for _, s := range []string{withPort.String(), withoutPort.String()} {
		for _, c := range []string{s, legacyQuery(s)} {
			if !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	return out
}

// legacyQuery re-encodes the query the way Node's querystring module does
// (keys grouped in first-seen order, encodeURIComponent escaping).
func legacyQuery(raw string) string {
	base, q, ok := strings.Cut(raw, "?")
	if !ok || q == "" {
		return raw
	}
	var keys []string
	vals := map[string][]string{}
	for pair := range strings.SplitSeq(q, "&") {
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		k, v = legacyUnescape(k), legacyUnescape(v)
		if _, seen := vals[k]; !seen {
			keys = append(keys, k)
		}
		vals[k] = append(vals[k], v)
	}
	var b strings.Builder
	for _, k := range keys {
		for _, v := range vals[k] {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(escapeComponent(k) + "=" + escapeComponent(v))
		}
	}
	return base + "?" + b.String()
}

func legacyUnescape(s string) string {
	s = strings.ReplaceAll(s, "+", " ")
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}

// escapeComponent is JavaScript's encodeURIComponent.
func escapeComponent(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for _, c := range []byte(s) {
		alnum := c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if alnum || strings.IndexByte("-_.!~*'()", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}
