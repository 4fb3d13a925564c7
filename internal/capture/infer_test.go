package capture

import (
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func num(s string) json.Number { return json.Number(s) }

func TestInfer(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		doc  string
		want []Field
	}{
		{"document order, not key order", `{"zeta":1,"alpha":"a","mid":true}`, []Field{
			{"zeta", TypeNumber, num("1")},
			{"alpha", TypeString, "a"},
			{"mid", TypeBoolean, true},
		}},
		{"stripe-like", `{"id":"evt_1","type":"invoice.paid","data":{"object":{"amount_paid":4200,"customer_email":"a@b.co","paid":true,"discount":null}}}`, []Field{
			{"id", TypeString, "evt_1"},
			{"type", TypeString, "invoice.paid"},
			{"data", TypeObject, nil},
			{"data.object", TypeObject, nil},
			{"data.object.amount_paid", TypeNumber, num("4200")},
			{"data.object.customer_email", TypeString, "a@b.co"},
			{"data.object.paid", TypeBoolean, true},
			{"data.object.discount", TypeNull, nil},
		}},
		{"array elements merged", `{"items":[{"sku":"A","qty":1},{"sku":"B","price":9.99,"qty":2},{"gift":false}],"total":10.5}`, []Field{
			{"items", TypeArray, nil},
			{"items[]", TypeObject, nil},
			{"items[].sku", TypeString, "A"},
			{"items[].qty", TypeNumber, num("1")},
			{"items[].price", TypeNumber, num("9.99")},
			{"items[].gift", TypeBoolean, false},
			{"total", TypeNumber, num("10.5")},
		}},
		{"nested arrays", `{"matrix":[[1,2],[3]],"tags":[["a"]]}`, []Field{
			{"matrix", TypeArray, nil},
			{"matrix[]", TypeArray, nil},
			{"matrix[][]", TypeNumber, num("1")},
			{"tags", TypeArray, nil},
			{"tags[]", TypeArray, nil},
			{"tags[][]", TypeString, "a"},
		}},
		{"first non-null type wins", `{"a":[null,"x",5],"b":[1,"s"],"c":[null,null]}`, []Field{
			{"a", TypeArray, nil},
			{"a[]", TypeString, "x"},
			{"b", TypeArray, nil},
			{"b[]", TypeNumber, num("1")},
			{"c", TypeArray, nil},
			{"c[]", TypeNull, nil},
		}},
		{"null then object", `{"list":[{"meta":null},{"meta":{"k":"v"}}]}`, []Field{
			{"list", TypeArray, nil},
			{"list[]", TypeObject, nil},
			{"list[].meta", TypeObject, nil},
			{"list[].meta.k", TypeString, "v"},
		}},
		{"exact number text", `{"big":12345678901234567890,"exp":1e-7}`, []Field{
			{"big", TypeNumber, num("12345678901234567890")},
			{"exp", TypeNumber, num("1e-7")},
		}},
		{"empty containers", `{"o":{},"a":[]}`, []Field{
			{"o", TypeObject, nil},
			{"a", TypeArray, nil},
		}},
		{"root array", `[{"id":1},{"name":"n"}]`, []Field{
			{"[]", TypeObject, nil},
			{"[].id", TypeNumber, num("1")},
			{"[].name", TypeString, "n"},
		}},
		{"root array of scalars", `[1,2]`, []Field{{"[]", TypeNumber, num("1")}}},
		{"root scalar", `"just a string"`, nil},
		{"root null", `null`, nil},
		{"empty root object", ` {} `, nil},
		{"empty key", `{"":{"a":1}}`, []Field{{".a", TypeNumber, num("1")}}},
		{"duplicate keys merge", `{"a":null,"a":"x"}`, []Field{{"a", TypeString, "x"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Infer([]byte(tt.doc))
			if err != nil {
				t.Fatalf("Infer: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Infer(%s)\n got %#v\nwant %#v", tt.doc, got, tt.want)
			}
		})
	}
}

func TestInferErrors(t *testing.T) {
	t.Parallel()
	deep := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }
	deepObj := func(n int) string { return strings.Repeat(`{"a":`, n-1) + "{}" + strings.Repeat("}", n-1) }
	tests := []struct {
		name string
		doc  string
		err  error
	}{
		{"empty", ``, ErrInvalidJSON},
		{"truncated", `{"a":[1,`, ErrInvalidJSON},
		{"trailing comma", `[1,]`, ErrInvalidJSON},
		{"missing colon", `{"a" 1}`, ErrInvalidJSON},
		{"trailing garbage", `{"a":1} x`, ErrInvalidJSON},
		{"second value", `{} {}`, ErrInvalidJSON},
		{"arrays 64", deep(64), nil},
		{"arrays 65", deep(65), ErrTooDeep},
		{"objects 64", deepObj(64), nil},
		{"objects 65", deepObj(65), ErrTooDeep},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Infer([]byte(tt.doc))
			if !errors.Is(err, tt.err) {
				t.Fatalf("Infer error = %v, want %v", err, tt.err)
			}
		})
	}
}

func TestInferFieldCap(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString(`{`)
	for i := range MaxFields + 50 {
		b.WriteString(`"k` + strconv.Itoa(i) + `":` + strconv.Itoa(i) + `,`)
	}
	b.WriteString(`"k0":"late"}`)
	got, err := Infer([]byte(b.String()))
	if err != nil {
		t.Fatalf("Infer: %v", err)
	}
	if len(got) != MaxFields {
		t.Fatalf("got %d fields, want %d", len(got), MaxFields)
	}
	if last := got[MaxFields-1]; last.Path != "k999" || last.Example != num("999") {
		t.Fatalf("last field = %#v", last)
	}
	if got[0] != (Field{"k0", TypeNumber, num("0")}) {
		t.Fatalf("first field = %#v", got[0])
	}
	// The cap stops fields, not validation.
	if _, err := Infer([]byte(b.String()[:b.Len()-1])); !errors.Is(err, ErrInvalidJSON) {
		t.Fatalf("truncated document past the cap: error = %v", err)
	}
}

func TestTemplatePaths(t *testing.T) {
	t.Parallel()
	fields := []Field{
		{Path: "data", Type: TypeObject},
		{Path: "items", Type: TypeArray},
		{Path: "items[]", Type: TypeObject},
		{Path: "items[].sku", Type: TypeString},
		{Path: "matrix[][]", Type: TypeNumber},
		{Path: "[]", Type: TypeObject},
		{Path: "[].id", Type: TypeString},
		{Path: "[].id", Type: TypeString},
	}
	want := []string{"data", "items", "items.0", "items.0.sku", "matrix.0.0", "0", "0.id"}
	if got := TemplatePaths(fields); !reflect.DeepEqual(got, want) {
		t.Fatalf("TemplatePaths = %q, want %q", got, want)
	}
	if got := TemplatePaths(nil); len(got) != 0 {
		t.Fatalf("TemplatePaths(nil) = %q", got)
	}
}

func TestFieldJSON(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal([]Field{{"a", TypeNumber, num("1.50")}, {"o", TypeObject, nil}})
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"path":"a","type":"number","example":1.50},{"path":"o","type":"object","example":null}]`
	if string(b) != want {
		t.Fatalf("JSON = %s, want %s", b, want)
	}
}
