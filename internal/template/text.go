package template

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// text renders parts as one string of at most limit bytes.
func (r *renderer) text(parts []part, limit int) (string, error) {
	var b strings.Builder
	for _, p := range parts {
		if p.ref == nil {
			if len(p.text) > limit-b.Len() {
				return "", ErrTooLarge
			}
			b.WriteString(p.text)
			continue
		}
		if v, ok := r.lookup(p.ref); ok {
			if err := r.writeText(&b, v, limit); err != nil {
				return "", err
			}
		}
	}
	return b.String(), nil
}

// writeText appends v as it reads inside text: strings bare, null as
// nothing (a template like "Hi {{contact.name}}" should not say "Hi null"),
// anything else as compact JSON. b may grow to limit bytes.
func (r *renderer) writeText(b *strings.Builder, v any, limit int) error {
	room := limit - b.Len()
	var s string
	switch v := v.(type) {
	case nil:
		return nil
	case string:
		s = v
	case json.Number:
		s = string(v)
	case bool:
		s = strconv.FormatBool(v)
	default:
		// Escaped JSON is never shorter than the unescaped text written
		// below, so this refuses a huge value before encoding it.
		if _, err := encodedLen(v, room); err != nil {
			return err
		}
		var err error
		if s, err = compactJSON(v); err != nil {
			return err
		}
	}
	if len(s) > room {
		return ErrTooLarge
	}
	b.WriteString(s)
	return nil
}

// compactJSON writes v as JSON without HTML escaping: the text is read by
// people and receivers, not pasted into a web page.
func compactJSON(v any) (string, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", fmt.Errorf("rendering value: %w", err)
	}
	return strings.TrimSuffix(buf.String(), "\n"), nil
}
