package jsonpath

import (
	"encoding/json"
	"errors"
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

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		path string
		want Path
		ok   bool
	}{
		{"data.object.customer.email", Path{"data", "object", "customer", "email"}, true},
		{"items.0.sku", Path{"items", "0", "sku"}, true},
		{"a", Path{"a"}, true},
		{"x-name", Path{"x-name"}, true},
		{"", nil, false},
		{"a..b", nil, false},
		{".a", nil, false},
		{"a.", nil, false},
		{".", nil, false},
	}
	for _, tt := range tests {
		got, err := Parse(tt.path)
		if (err == nil) != tt.ok {
			t.Errorf("Parse(%q) error = %v, want ok=%v", tt.path, err, tt.ok)
			continue
		}
		if err != nil && !errors.Is(err, ErrInvalid) {
			t.Errorf("Parse(%q) error %v does not wrap ErrInvalid", tt.path, err)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Parse(%q) = %#v, want %#v", tt.path, got, tt.want)
		}
		if err == nil && got.String() != tt.path {
			t.Errorf("Parse(%q).String() = %q", tt.path, got.String())
		}
	}
}

func TestGet(t *testing.T) {
	t.Parallel()
	doc := decode(t, `{
		"data": {"object": {"customer": {"email": "a@b.co"}, "amount": 4200}},
		"items": [{"sku": "A-1"}, {"sku": "B-2", "qty": 2}],
		"matrix": [[1, 2], [3, 4]],
		"byCode": {"0": "zero", "10": "ten"},
		"nothing": null,
		"flag": false
	}`)
	tests := []struct {
		path string
		want any
		ok   bool
	}{
		{"data.object.customer.email", "a@b.co", true},
		{"data.object.amount", json.Number("4200"), true},
		{"items.0.sku", "A-1", true},
		{"items.1.qty", json.Number("2"), true},
		{"items.1", map[string]any{"sku": "B-2", "qty": json.Number("2")}, true},
		{"matrix.1.0", json.Number("3"), true},
		{"byCode.0", "zero", true},
		{"byCode.10", "ten", true},
		{"nothing", nil, true},
		{"flag", false, true},
		{"items.2.sku", nil, false},
		{"items.-1", nil, false},
		{"items.01", nil, false},
		{"items.+1", nil, false},
		{"items.sku", nil, false},
		{"items.99999999999999999999999", nil, false},
		{"data.object.customer.email.x", nil, false},
		{"nothing.x", nil, false},
		{"missing", nil, false},
		{"a..b", nil, false},
	}
	for _, tt := range tests {
		got, ok := Get(doc, tt.path)
		if ok != tt.ok || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Get(%q) = %#v, %v; want %#v, %v", tt.path, got, ok, tt.want, tt.ok)
		}
	}
}

func TestGetRootArray(t *testing.T) {
	t.Parallel()
	doc := decode(t, `[{"id": "x"}]`)
	if got, ok := Get(doc, "0.id"); !ok || got != "x" {
		t.Fatalf(`Get("0.id") = %v, %v`, got, ok)
	}
	if got, ok := (Path{}).Get(doc); !ok || !reflect.DeepEqual(got, doc) {
		t.Fatalf("empty Path.Get = %v, %v; want the document", got, ok)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"data.object.customer.email", "items.0.sku", "a..b", ".a", "a.", "", "é.ü.0", "0.0.0"} {
		f.Add(s)
	}
	doc := decode(f, `{"a":{"b":[{"c":1}]},"0":[true]}`)
	f.Fuzz(func(t *testing.T, s string) {
		p, err := Parse(s)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		if p.String() != s {
			t.Fatalf("round trip %q -> %q", s, p.String())
		}
		for _, seg := range p {
			if seg == "" || strings.Contains(seg, ".") {
				t.Fatalf("bad segment %q in %q", seg, s)
			}
		}
		_, _ = p.Get(doc)
	})
}
