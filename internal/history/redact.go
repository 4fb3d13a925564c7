package history

import (
	"net/url"
	"strings"
)

// secretWords mark header names and query keys whose values are credentials
// or signatures in some provider's scheme; their values never reach the log.
var secretWords = []string{"secret", "signature", "authorization", "token", "api-key", "api_key", "apikey",
	"password", "passwd", "credential", "cookie", "hmac"}

// secretNames are names too short to look for inside others ("author",
// "keyword"), secret only on their own.
var secretNames = map[string]bool{"sig": true, "x-sig": true, "key": true, "auth": true, "pass": true, "pwd": true}

// SecretName reports whether the header name or query key name carries a
// credential or signature, by the words providers use for them or because
// extra (lower-case names) says so. Both directions' logs redact by it.
func SecretName(name string, extra map[string]bool) bool {
	n := strings.ToLower(name)
	if extra[n] || secretNames[n] {
		return true
	}
	for _, w := range secretWords {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// RedactQuery returns raw, a URL's query, as it came, the values of secret
// keys (SecretName) aside: those become Redacted. Order and encoding are
// kept, since a signature over the URL (Twilio, Square) is checked on them.
func RedactQuery(raw string, extra map[string]bool) string {
	parts := strings.Split(raw, "&")
	for i, p := range parts {
		k, _, _ := strings.Cut(p, "=")
		name, err := url.QueryUnescape(k)
		if err != nil {
			name = k
		}
		if SecretName(name, extra) {
			parts[i] = k + "=" + url.QueryEscape(Redacted)
		}
	}
	return strings.Join(parts, "&")
}

// RedactURL is raw as a log keeps an address we send to: a password in it
// and the values of secret query keys replaced by Redacted. A URL that does
// not parse, or holds neither, is kept as it is.
func RedactURL(raw string) string {
	if !strings.ContainsAny(raw, "?@") {
		return raw // the common case, without parsing on every attempt
	}
	u, err := url.Parse(raw)
	if err != nil || (u.User == nil && u.RawQuery == "") {
		return raw
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), Redacted)
	}
	if u.RawQuery != "" {
		u.RawQuery = RedactQuery(u.RawQuery, nil)
	}
	return u.String()
}
