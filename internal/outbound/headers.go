package outbound

import (
	"net/http"
	"strings"
)

// Redacted replaces credentials and signatures in stored messages.
const Redacted = "[redacted]"

// reservedHeaders are the dispatcher's own; a webhook's static headers never
// override them (a static webhook-signature would forge signing).
var reservedHeaders = map[string]bool{
	"Content-Type": true, "Content-Length": true, "Host": true, "User-Agent": true,
	"Authorization": true, "Connection": true, "Transfer-Encoding": true,
}

// reserved reports whether static header k may not be sent.
func reserved(k string) bool {
	k = http.CanonicalHeaderKey(k)
	return reservedHeaders[k] || strings.HasPrefix(k, "Webhook-")
}

// secretHeaders are redacted in the stored request.
var secretHeaders = map[string]bool{"Authorization": true, "Webhook-Signature": true}

// redact flattens the request headers for the log row, hiding credentials.
func redact(h http.Header) map[string]string {
	out := flatten(h)
	for k := range out {
		if secretHeaders[k] {
			out[k] = Redacted
		}
	}
	return out
}

// flatten joins repeated header values the way HTTP allows.
func flatten(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for k, v := range h {
		out[http.CanonicalHeaderKey(k)] = strings.Join(v, ", ")
	}
	return out
}
