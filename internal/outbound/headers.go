package outbound

import (
	"net/http"
	"strings"
)

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
