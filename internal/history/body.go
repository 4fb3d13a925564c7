package history

import (
	"encoding/base64"
	"strings"
	"unicode/utf8"

	"github.com/wexio/webhooks/ent/schema/schematype"
)

// storableBody is an HTTP body as a log row keeps it: text, with each NUL
// byte replaced by U+FFFD, as JSON encoding already replaces bytes that are
// not UTF-8. PostgreSQL keeps NUL in neither text nor jsonb: a row holding
// one would fail to write, and a receiver answering with a binary body
// would leave its delivery unrecorded and attempted again and again.
func storableBody(b string) string { return strings.ReplaceAll(b, "\x00", "\uFFFD") }

// storableMessage is m with its body made storable (storableBody), and
// kept byte for byte in BodyBase64 when the text cannot hold it.
func storableMessage(m schematype.HTTPMessage) schematype.HTTPMessage {
	m.Body, m.BodyBase64 = exactBody(m.Body)
	return m
}

// exactBody is b as a log row keeps it: the text, and when the text
// cannot hold b exactly (bytes that are not UTF-8, which JSON encoding
// turns into U+FFFD, or NUL) b in base64 beside it. A log shows what was
// received, not a repaired copy of it.
func exactBody(b string) (text string, exact *string) {
	if utf8.ValidString(b) && !strings.Contains(b, "\x00") {
		return b, nil
	}
	enc := base64.StdEncoding.EncodeToString([]byte(b))
	return storableBody(strings.ToValidUTF8(b, "\uFFFD")), &enc
}
