package redact

import (
	"net/http"
	"strings"
)

// Headers is how a log row keeps HTTP headers: one value per name, repeated
// values joined with ", " as HTTP allows, and the value of every name for
// which secret reports true replaced by Marker (secret may be nil).
func Headers(h http.Header, secret func(name string) bool) map[string]string {
	out := make(map[string]string, len(h))
	for k, vs := range h {
		k = http.CanonicalHeaderKey(k)
		if secret != nil && secret(k) {
			out[k] = Marker
			continue
		}
		out[k] = strings.Join(vs, ", ")
	}
	return out
}
