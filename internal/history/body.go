package history

import (
	"strings"

	"github.com/wexio/webhooks/ent/schema/schematype"
)

// storableBody is an HTTP body as a log row keeps it: text, with each NUL
// byte replaced by U+FFFD, as JSON encoding already replaces bytes that are
// not UTF-8. PostgreSQL keeps NUL in neither text nor jsonb: a row holding
// one would fail to write, and a receiver answering with a binary body
// would leave its delivery unrecorded and attempted again and again.
func storableBody(b string) string { return strings.ReplaceAll(b, "\x00", "\uFFFD") }

// storableMessage is m with its body made storable (storableBody).
func storableMessage(m schematype.HTTPMessage) schematype.HTTPMessage {
	m.Body = storableBody(m.Body)
	return m
}
