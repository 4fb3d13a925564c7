package redact

import (
	"bytes"
	"strings"
)

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
	var buf [64]byte
	n, ok := lowerASCII(buf[:0], name)
	if !ok {
		return isSecretLower(strings.ToLower(name), extra)
	}
	// string(n) in a map index and in the loop below makes no copy: every
	// request's every header name came through here, each lowered into a
	// new string.
	if extra[string(n)] || secretNames[string(n)] {
		return true
	}
	for _, w := range secretWords {
		if bytes.Contains(n, []byte(w)) {
			return true
		}
	}
	return false
}

// lowerASCII appends name lowered to b when name is ASCII, as
// strings.ToLower would; ok is false for any other byte.
func lowerASCII(b []byte, name string) (_ []byte, ok bool) {
	for i := range len(name) {
		c := name[i]
		if c >= 0x80 {
			return b, false
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return b, true
}

// isSecretLower is IsSecret of n, lowered already.
func isSecretLower(n string, extra map[string]bool) bool {
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
