package template

import (
	"errors"
	"strings"
	"testing"
)

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		tmpl any
		want string
	}{
		{"unterminated", "Hello {{payload.name", `template: unterminated "{{" in "{{payload.name"`},
		{"unterminated after a good one", "{{payload.a}} and {{ contact.email }", `template: unterminated "{{" in "{{ contact.email }"`},
		{"empty", "x {{ }} y", `template: empty placeholder in "{{ }}"`},
		{"empty tight", "{{}}", `template: empty placeholder in "{{}}"`},
		{"unknown root", "{{order.total}}", `template: unknown root "order" (use payload, contact, headers or webhook) in "{{order.total}}"`},
		{"bad path", "{{payload..total}}", `template: invalid path "payload..total" (dot-separated names, none empty) in "{{payload..total}}"`},
		{"trailing dot", "{{payload.}}", `template: invalid path "payload." (dot-separated names, none empty) in "{{payload.}}"`},
		{"space inside", "{{payload. total}}", `template: unexpected space in placeholder in "{{payload. total}}"`},
		{"brace inside", "{{{payload.x}}}", `template: unexpected "{" in placeholder in "{{{payload.x}}"`},
		{"headers without name", "{{headers}}", `template: headers needs a header name, as in headers.x-name in "{{headers}}"`},
		{"unknown contact field", "{{contact.emial}}", `template: unknown contact field "emial" (use id, name, email, phone, chatId, channelUserId, attributes) in "{{contact.emial}}"`},
		{"contact scalar has no fields", "{{contact.email.domain}}", `template: contact.email has no fields in "{{contact.email.domain}}"`},
		{"unknown webhook field", "{{webhook.secret}}", `template: unknown webhook field "secret" (use id, name) in "{{webhook.secret}}"`},
		{"located in an object", map[string]any{"data": map[string]any{"items": []any{"ok", "{{nope}}"}}},
			`template: at data.items.1: unknown root "nope" (use payload, contact, headers or webhook) in "{{nope}}"`},
		{"long text is shortened", "{{payload." + strings.Repeat("a", 100), `template: unterminated "{{" in "{{payload.` + strings.Repeat("a", 50) + `…"`},
		{"unsupported type", map[string]any{"f": func() {}}, `template: at f: unsupported value type func()`},
		{"too deep", nested(MaxDepth + 1), `template: at ` + strings.TrimSuffix(strings.Repeat("0.", MaxDepth+1), ".") + `: value nested deeper than 64`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse(tt.tmpl)
			if err == nil {
				t.Fatalf("Parse(%v) succeeded", tt.tmpl)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v does not match ErrInvalid", err)
			}
			if err.Error() != tt.want {
				t.Fatalf("error\n got %s\nwant %s", err, tt.want)
			}
		})
	}
}

// nested wraps a string in depth arrays.
func nested(depth int) any {
	var v any = "x"
	for range depth {
		v = []any{v}
	}
	return v
}

func TestParseDepthLimit(t *testing.T) {
	t.Parallel()
	if _, err := Parse(nested(MaxDepth)); err != nil {
		t.Fatalf("depth %d: %v", MaxDepth, err)
	}
}
