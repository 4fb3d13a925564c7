package template

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

func decode(t testing.TB, s string) any {
	t.Helper()
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatalf("decoding %q: %v", s, err)
	}
	return v
}

func testVars(t testing.TB) Vars {
	return Vars{
		Payload: decode(t, `{"order":{"id":"ord_1","total":42.5,"paid":true,"lines":[{"sku":"A-1","qty":2}],
			"meta":{"a":1,"b":"<x>"},"note":null,"count":7},"items":[{"sku":"first"}],"0":"zero-key"}`),
		Contact: map[string]any{
			"id": "ct_01", "name": nil, "email": "ann@example.com", "phone": "+4915112345678",
			"attributes": map[string]any{"plan": "pro", "seats": json.Number("3")},
		},
		Headers: http.Header{"X-Shop-Domain": {"shop.example", "second"}, "X-Empty": {""}},
		Webhook: map[string]any{"id": "wh_01", "name": "Shopify orders"},
	}
}

func TestRender(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		tmpl string // JSON
		want string // JSON of the rendered value
	}{
		{"number keeps its type", `"{{payload.order.total}}"`, `42.5`},
		{"exact number text", `"{{payload.order.count}}"`, `7`},
		{"bool keeps its type", `"{{payload.order.paid}}"`, `true`},
		{"object keeps its type", `"{{payload.order.lines.0}}"`, `{"qty":2,"sku":"A-1"}`},
		{"array keeps its type", `"{{ payload.order.lines }}"`, `[{"qty":2,"sku":"A-1"}]`},
		{"null keeps its type", `"{{payload.order.note}}"`, `null`},
		{"whole payload", `"{{payload}}"`, `{"0":"zero-key","items":[{"sku":"first"}],"order":{"count":7,"id":"ord_1","lines":[{"qty":2,"sku":"A-1"}],"meta":{"a":1,"b":"<x>"},"note":null,"paid":true,"total":42.5}}`},
		{"missing whole is empty string", `"{{payload.order.nope}}"`, `""`},
		{"missing index", `"{{payload.items.5.sku}}"`, `""`},
		{"index", `"{{payload.items.0.sku}}"`, `"first"`},
		{"numeric key on object", `"{{payload.0}}"`, `"zero-key"`},
		{"embedded number", `"Total: {{payload.order.total}} EUR"`, `"Total: 42.5 EUR"`},
		{"embedded bool and string", `"paid={{payload.order.paid}} id={{payload.order.id}}"`, `"paid=true id=ord_1"`},
		{"embedded object compact, no HTML escaping", `"meta {{payload.order.meta}}"`, `"meta {\"a\":1,\"b\":\"<x>\"}"`},
		{"embedded missing", `"[{{payload.nope}}]"`, `"[]"`},
		{"embedded null", `"Hi {{contact.name}}!"`, `"Hi !"`},
		{"two placeholders, no text", `"{{payload.order.count}}{{payload.order.count}}"`, `"77"`},
		{"placeholder with spaces around is text", `" {{payload.order.count}}"`, `" 7"`},
		{"contact", `"{{contact.email}}"`, `"ann@example.com"`},
		{"contact attribute", `"{{contact.attributes.seats}}"`, `3`},
		{"contact missing attribute", `"{{contact.attributes.nope}}"`, `""`},
		{"header, any case", `"{{headers.x-shop-domain}}"`, `"shop.example"`},
		{"header upper case", `"{{ headers.X-SHOP-DOMAIN }}"`, `"shop.example"`},
		{"header missing", `"{{headers.x-missing}}"`, `""`},
		{"header empty", `"<{{headers.x-empty}}>"`, `"<>"`},
		{"webhook", `"from {{webhook.name}}"`, `"from Shopify orders"`},
		{"lone braces are text", `"a }} b { c"`, `"a }} b { c"`},
		{"nested value", `{"name":"order.paid","data":{"id":"{{payload.order.id}}","total":"{{payload.order.total}}","tags":["x","{{contact.attributes.plan}}"],"n":1.5,"ok":false,"z":null}}`,
			`{"data":{"id":"ord_1","n":1.5,"ok":false,"tags":["x","pro"],"total":42.5,"z":null},"name":"order.paid"}`},
		{"keys are not templated", `{"{{payload.order.id}}":"v"}`, `{"{{payload.order.id}}":"v"}`},
	}
	vars := testVars(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tmpl, err := Parse(decode(t, tt.tmpl))
			if err != nil {
				t.Fatalf("Parse(%s): %v", tt.tmpl, err)
			}
			got, err := tmpl.Render(vars, 1<<20)
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			b, err := compactJSON(got)
			if err != nil {
				t.Fatalf("encoding output: %v", err)
			}
			if b != tt.want {
				t.Fatalf("Render(%s)\n got %s\nwant %s", tt.tmpl, b, tt.want)
			}
		})
	}
}

func TestRenderKeepsGoTypes(t *testing.T) {
	t.Parallel()
	tmpl, err := Parse(map[string]any{"n": "{{payload.order.total}}", "f": 1.25, "b": "{{payload.order.paid}}"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := tmpl.Render(testVars(t), 0)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"n": json.Number("42.5"), "f": 1.25, "b": true}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Render = %#v, want %#v", got, want)
	}
}

func TestRenderString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		tmpl any
		want string
	}{
		{"Order {{payload.order.id}} paid: {{payload.order.paid}}", "Order ord_1 paid: true"},
		{"{{payload.order.total}}", "42.5"},
		{"{{payload.order.nope}}", ""},
		{"{{payload.order.note}}", ""},
		{"{{payload.order.lines}}", `[{"qty":2,"sku":"A-1"}]`},
		{"plain text", "plain text"},
		{map[string]any{"id": "{{payload.order.id}}"}, `{"id":"ord_1"}`},
		{json.Number("12"), "12"},
	}
	vars := testVars(t)
	for _, tt := range tests {
		tmpl, err := Parse(tt.tmpl)
		if err != nil {
			t.Fatalf("Parse(%v): %v", tt.tmpl, err)
		}
		got, err := tmpl.RenderString(vars, 1000)
		if err != nil || got != tt.want {
			t.Errorf("RenderString(%v) = %q, %v; want %q", tt.tmpl, got, err, tt.want)
		}
	}
}

func TestRenderEmptyVars(t *testing.T) {
	t.Parallel()
	tmpl, err := ParseString("{{contact.email}}|{{webhook.name}}|{{headers.x}}|{{payload.a}}|{{contact}}")
	if err != nil {
		t.Fatal(err)
	}
	got, err := tmpl.RenderString(Vars{}, 0)
	if err != nil || got != "||||" {
		t.Fatalf("RenderString = %q, %v", got, err)
	}
	whole, err := ParseString("{{contact}}")
	if err != nil {
		t.Fatal(err)
	}
	if v, err := whole.Render(Vars{}, 0); err != nil || v != "" {
		t.Fatalf("Render = %#v, %v; want empty string", v, err)
	}
}

func TestHeaderNonCanonicalMap(t *testing.T) {
	t.Parallel()
	tmpl, err := ParseString("{{headers.X-Request-ID}}")
	if err != nil {
		t.Fatal(err)
	}
	vars := Vars{Headers: http.Header{"x-request-id": {"req-1"}}}
	if got, err := tmpl.Render(vars, 100); err != nil || got != "req-1" {
		t.Fatalf("Render = %#v, %v", got, err)
	}
}

func TestPlaceholders(t *testing.T) {
	t.Parallel()
	tmpl, err := Parse(decode(t, `{"b":"{{ payload.order.total }} {{contact.email}}","a":["{{webhook.name}}","{{payload.order.total}}"],"c":1}`))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"webhook.name", "payload.order.total", "contact.email"}
	if got := tmpl.Placeholders(); !reflect.DeepEqual(got, want) {
		t.Fatalf("Placeholders = %q, want %q", got, want)
	}
	tmpl.Placeholders()[0] = "changed"
	if tmpl.Placeholders()[0] != "webhook.name" {
		t.Fatal("Placeholders exposes internal state")
	}
}
