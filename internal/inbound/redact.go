package inbound

import (
	"net/url"
	"strings"

	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/history"
)

// redactedRequest is the request as the log keeps it: headers joined per
// name, credentials, signatures and secret query values replaced.
func redactedRequest(req *request) schematype.HTTPMessage {
	extra := map[string]bool{}
	if req.signatureHeader != "" {
		extra[strings.ToLower(req.signatureHeader)] = true
	}
	return schematype.HTTPMessage{
		Method:  req.http.Method,
		URL:     redactURL(req.http.URL, extra),
		Headers: history.Headers(req.http.Header, func(k string) bool { return history.SecretName(k, extra) }),
		Body:    string(req.raw),
	}
}

func redactURL(u *url.URL, extra map[string]bool) string {
	if u.RawQuery == "" {
		return u.Path
	}
	return u.Path + "?" + history.RedactQuery(u.RawQuery, extra)
}
