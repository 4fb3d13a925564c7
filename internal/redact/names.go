package redact

import "strings"

// Marker replaces a credential or signature wherever one would be stored
// or shown.
const Marker = "[redacted]"

// secretWords mark header names and query keys whose values are credentials
// or signatures in some provider's scheme; their values never reach the log.
var secretWords = []string{"secret", "signature", "authorization", "token", "api-key", "api_key", "apikey",
	"password", "passwd", "credential", "cookie", "hmac"}

// secretNames are names too short to look for inside others ("author",
// "keyword"), secret only on their own.
var secretNames = map[string]bool{"sig": true, "x-sig": true, "key": true, "auth": true, "pass": true, "pwd": true}

// IsSecret reports whether the header name or query key name carries a
// credential or signature, by the words providers use for them or because
// extra (lower-case names) says so. Both directions' logs redact by it.
func IsSecret(name string, extra map[string]bool) bool {
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
