package inbound

import (
	"net/url"
	"sort"
	"strings"

	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/history"
)

// secretWords mark header names and query keys whose values are credentials
// or signatures in some provider's scheme; their values never reach the log.
var secretWords = []string{"secret", "signature", "authorization", "token", "api-key", "apikey", "password", "cookie", "hmac"}

func isSecretName(name string, extra map[string]bool) bool {
	n := strings.ToLower(name)
	if extra[n] || n == "sig" || n == "x-sig" {
		return true
	}
	for _, w := range secretWords {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// redactedRequest is the request as the log keeps it: headers joined per
// name, credentials, signatures and secret query values replaced.
func redactedRequest(req *request) schematype.HTTPMessage {
	extra := map[string]bool{}
	if req.auth.HMAC != nil && req.auth.HMAC.Header != "" {
		extra[strings.ToLower(req.auth.HMAC.Header)] = true
	}
	return schematype.HTTPMessage{
		Method:  req.http.Method,
		URL:     redactURL(req.http.URL, extra),
		Headers: history.Headers(req.http.Header, func(k string) bool { return isSecretName(k, extra) }),
		Body:    string(req.raw),
	}
}

func redactURL(u *url.URL, extra map[string]bool) string {
	q := u.Query()
	if len(q) == 0 {
		return u.Path
	}
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
			if isSecretName(k, extra) || k == "key" {
				v = history.Redacted
			}
			b.WriteString(url.QueryEscape(k) + "=" + url.QueryEscape(v))
		}
	}
	return u.Path + "?" + b.String()
}
