package redact

import "net/http"

// harmlessHeaders are the only static header names of an outbound webhook
// whose values are stored, shown and logged as they are: they describe the
// body and the client, and no scheme puts a credential in them. Every other
// value is sealed and redacted whatever its name, since credentials travel
// under names nobody can list in advance (X-Access-Key, X-Tenant-Pass).
// Keep it short: a name added here shows every value already stored under it.
var harmlessHeaders = map[string]bool{
	"Accept": true, "Accept-Charset": true, "Accept-Encoding": true, "Accept-Language": true,
	"Cache-Control": true, "Content-Language": true, "Content-Type": true, "User-Agent": true,
}

// Harmless reports whether header name is on the short list of headers
// whose values may be stored, shown and logged as they are.
func Harmless(name string) bool { return harmlessHeaders[http.CanonicalHeaderKey(name)] }
