package history

import (
	"net/url"
	"sort"
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

// RedactQuery encodes q with its keys sorted and the values of secret keys
// (SecretName) replaced by Redacted.
func RedactQuery(q url.Values, extra map[string]bool) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		for _, v := range q[k] {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			if SecretName(k, extra) {
				v = Redacted
			}
			b.WriteString(url.QueryEscape(k) + "=" + url.QueryEscape(v))
		}
	}
	return b.String()
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
		u.RawQuery = RedactQuery(u.Query(), nil)
	}
	return u.String()
}
