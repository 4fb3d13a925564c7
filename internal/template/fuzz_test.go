package template

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func FuzzParseString(f *testing.F) {
	for _, s := range []string{
		"Order {{payload.order.id}} for {{contact.email}}",
		"{{ payload.order.total }}", "{{headers.X-Shop-Domain}}", "{{webhook.name}}",
		"{{payload.items.0.sku}}", "{{", "}}", "{{}}", "{{ {{payload.a}} }}",
		"{{contact.attributes.plan}}", "{{payload..x}}", "plain", "{{unknown.x}}",
	} {
		f.Add(s)
	}
	vars := testVars(f)
	f.Fuzz(func(t *testing.T, s string) {
		tmpl, err := ParseString(s)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v does not match ErrInvalid", err)
			}
			return
		}
		if !strings.Contains(s, "{{") && len(tmpl.Placeholders()) != 0 {
			t.Fatalf("placeholders %q in %q", tmpl.Placeholders(), s)
		}
		for _, p := range tmpl.Placeholders() {
			if !strings.Contains(s, p) {
				t.Fatalf("placeholder %q not in %q", p, s)
			}
		}
		const limit = 200
		out, err := tmpl.Render(vars, limit)
		if errors.Is(err, ErrTooLarge) {
			return
		}
		if err != nil {
			t.Fatalf("Render: %v", err)
		}
		if b, err := json.Marshal(out); err != nil || len(b) > limit {
			t.Fatalf("output %s (%v) passes the bound", b, err)
		}
		if txt, err := tmpl.RenderString(vars, limit); err == nil && len(txt) > limit {
			t.Fatalf("text of %d bytes passes the bound", len(txt))
		}
	})
}
