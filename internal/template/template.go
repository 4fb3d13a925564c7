package template

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// MaxDepth bounds how deeply a template value may nest, like inbound payloads.
const MaxDepth = 64

// Errors; a parse error is an *Error that matches ErrInvalid.
var (
	ErrInvalid  = errors.New("template: invalid template")
	ErrTooLarge = errors.New("template: rendered output too large")
)

// Error explains why a template does not parse, in words fit for users.
type Error struct {
	At     string // where in the template value, e.g. "data.items.0"; empty at the root
	Reason string // e.g. `unknown root "foo"`
	Text   string // the offending text, shortened; may be empty
}

func (e *Error) Error() string {
	msg := "template: "
	if e.At != "" {
		msg += "at " + e.At + ": "
	}
	msg += e.Reason
	if e.Text != "" {
		msg += fmt.Sprintf(" in %q", e.Text)
	}
	return msg
}

// Is makes every *Error match ErrInvalid.
func (e *Error) Is(target error) bool { return target == ErrInvalid }

// Vars is what placeholders can read.
type Vars struct {
	Payload any            // the parsed JSON body
	Contact map[string]any // id name email phone chatId channelUserId attributes (a map)
	Headers http.Header    // the request's headers; names match case-insensitively
	Webhook map[string]any // id, name
}

// Template is a parsed JSON value whose strings may contain placeholders.
// It is immutable and safe for concurrent use.
type Template struct {
	root         *node
	placeholders []string
}

// Parse parses v, a JSON value as encoding/json decodes it (map[string]any,
// []any, string, json.Number, float64, bool or nil). Object keys are kept
// as they are; only string values are templates.
func Parse(v any) (*Template, error) {
	t := &Template{}
	root, err := t.parseValue(v, "", 0)
	if err != nil {
		return nil, err
	}
	t.root = root
	return t, nil
}

// ParseString parses one text template.
func ParseString(s string) (*Template, error) {
	return Parse(s)
}

// Placeholders lists the placeholders as written (without braces and
// surrounding spaces), each once, in template order; object members are
// visited in key order.
func (t *Template) Placeholders() []string {
	return append([]string(nil), t.placeholders...)
}

// Render renders the template with vars. A string that is exactly one
// placeholder keeps the JSON type of its value; other strings get each value
// as JSON writes it, strings bare, a missing value or null as nothing. The
// output shares values with vars rather than copying them. If the output's
// JSON encoding would exceed maxBytes (when positive), Render stops early
// with ErrTooLarge.
func (t *Template) Render(vars Vars, maxBytes int) (any, error) {
	v, err := newRenderer(vars, maxBytes).value(t.root)
	if err != nil {
		return nil, err
	}
	return v, nil
}

// RenderString renders the template as text, for text fields: the template's
// string, or for a non-string template the text of its rendered value.
// maxBytes (when positive) bounds the length of the text.
func (t *Template) RenderString(vars Vars, maxBytes int) (string, error) {
	r := newRenderer(vars, maxBytes)
	switch s, isString := t.root.value.(string); {
	case t.root.kind == kindText:
		return r.text(t.root.parts, r.max)
	case isString:
		if len(s) > r.max {
			return "", ErrTooLarge
		}
		return s, nil
	}
	v, err := r.value(t.root)
	if err != nil {
		return "", err
	}
	var out strings.Builder
	if err := r.writeText(&out, v, r.max); err != nil {
		return "", err
	}
	return out.String(), nil
}
