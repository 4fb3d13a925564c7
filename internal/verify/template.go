package verify

import (
	"fmt"
	"io"
	"strings"
)

// field is what one part of a signed-payload template stands for.
type field uint8

const (
	fieldLiteral field = iota
	fieldBody
	fieldTimestamp
	fieldID
	fieldMethod
	fieldURL
)

var placeholders = [...]string{
	fieldBody:      "{body}",
	fieldTimestamp: "{timestamp}",
	fieldID:        "{id}",
	fieldMethod:    "{method}",
	fieldURL:       "{url}",
}

type part struct {
	field field
	lit   string // fieldLiteral only
}

// template is a parsed signed-payload template, e.g. "v0:{timestamp}:{body}".
type template []part

// parseTemplate splits s into literals and placeholders. Braces only ever open
// a known placeholder, so a typo is an error rather than a silent literal.
func parseTemplate(s string) (template, error) {
	var t template
	for s != "" {
		i := strings.IndexAny(s, "{}")
		if i < 0 {
			return append(t, part{lit: s}), nil
		}
		if i > 0 {
			t = append(t, part{lit: s[:i]})
			s = s[i:]
		}
		end := strings.IndexByte(s, '}')
		if s[0] == '}' || end < 0 {
			return nil, fmt.Errorf("%w: unbalanced braces", ErrInvalidTemplate)
		}
		f, ok := placeholderField(s[:end+1])
		if !ok {
			return nil, fmt.Errorf("%w: unknown placeholder %q (use {body}, {timestamp}, {id}, {method}, {url})",
				ErrInvalidTemplate, s[:end+1])
		}
		t = append(t, part{field: f})
		s = s[end+1:]
	}
	return t, nil
}

func placeholderField(name string) (field, bool) {
	for f, p := range placeholders {
		if p != "" && p == name {
			return field(f), true
		}
	}
	return fieldLiteral, false
}

func (t template) uses(f field) bool {
	for _, p := range t {
		if p.field == f {
			return true
		}
	}
	return false
}

// String gives back the template text parseTemplate read.
func (t template) String() string {
	var b strings.Builder
	for _, p := range t {
		if p.field == fieldLiteral {
			b.WriteString(p.lit)
		} else {
			b.WriteString(placeholders[p.field])
		}
	}
	return b.String()
}

// values fill a template's placeholders.
type values struct {
	body                       []byte
	timestamp, id, method, url string
}

// write streams the signed content into w (a MAC), so a large body is never
// copied.
func (t template) write(w io.Writer, v values) {
	for _, p := range t {
		switch p.field {
		case fieldLiteral:
			io.WriteString(w, p.lit)
		case fieldBody:
			w.Write(v.body)
		case fieldTimestamp:
			io.WriteString(w, v.timestamp)
		case fieldID:
			io.WriteString(w, v.id)
		case fieldMethod:
			io.WriteString(w, v.method)
		case fieldURL:
			io.WriteString(w, v.url)
		}
	}
}
