package template

import (
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/wexio/webhooks/internal/jsonpath"
)

// Placeholder roots.
const (
	rootPayload = "payload"
	rootContact = "contact"
	rootHeaders = "headers"
	rootWebhook = "webhook"
)

// Fields a placeholder may name under contact and webhook; anything else is
// almost surely a typo, and saying so when the flow is saved beats rendering
// nothing at run time. Only attributes has fields of its own. The slices
// are shared: do not modify them.
var (
	ContactFields = []string{"id", "name", "email", "phone", "chatId", "channelUserId", "attributes"}
	WebhookFields = []string{"id", "name"}
)

// ref is one parsed placeholder.
type ref struct {
	raw  string        // as written, without braces and surrounding spaces
	root string        // payload, contact, headers or webhook
	path jsonpath.Path // below the root; for headers, the header name in one segment
}

// parseRef parses the text between "{{" and "}}". It returns a reason, in
// words, when the placeholder is not valid.
func parseRef(inner string) (*ref, string) {
	raw := strings.TrimSpace(inner)
	if raw == "" {
		return nil, "empty placeholder"
	}
	if i := strings.IndexFunc(raw, func(r rune) bool {
		return unicode.IsSpace(r) || r == '{' || r == '}'
	}); i >= 0 {
		return nil, "unexpected " + quoteRune(raw[i:]) + " in placeholder"
	}
	p, err := jsonpath.Parse(raw)
	if err != nil {
		return nil, "invalid path " + quote(raw) + " (dot-separated names, none empty)"
	}
	r := &ref{raw: raw, root: p[0], path: p[1:]}
	switch r.root {
	case rootPayload:
		return r, ""
	case rootHeaders:
		if len(r.path) == 0 {
			return nil, "headers needs a header name, as in headers.x-name"
		}
		r.path = jsonpath.Path{strings.Join(r.path, ".")}
		return r, ""
	case rootContact:
		return r, checkField(r, ContactFields, "attributes")
	case rootWebhook:
		return r, checkField(r, WebhookFields, "")
	default:
		return nil, "unknown root " + quote(r.root) + " (use payload, contact, headers or webhook)"
	}
}

// checkField checks the first segment below a contact or webhook root.
// nested is the one field that may be followed by more segments.
func checkField(r *ref, fields []string, nested string) string {
	if len(r.path) == 0 {
		return ""
	}
	f := r.path[0]
	if !slices.Contains(fields, f) {
		return "unknown " + r.root + " field " + quote(f) + " (use " + strings.Join(fields, ", ") + ")"
	}
	if len(r.path) > 1 && f != nested {
		return r.root + "." + f + " has no fields"
	}
	return ""
}

func quote(s string) string { return strconv.Quote(s) }

func quoteRune(s string) string {
	for _, r := range s {
		if unicode.IsSpace(r) {
			return "space"
		}
		return quote(string(r))
	}
	return ""
}
