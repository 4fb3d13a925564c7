package template

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestRenderTooLarge(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("x", 10_000)
	vars := Vars{Payload: map[string]any{"big": big, "n": json.Number("12345"), "list": []any{big, big, big}}}
	tests := []struct {
		name string
		tmpl any
		max  int
		want error
	}{
		{"exact fit", `{{payload.n}}`, 5, nil},
		{"one over", `{{payload.n}}`, 4, ErrTooLarge},
		{"string with quotes fits", `{{payload.big}}`, 10_002, nil},
		{"string with quotes over", `{{payload.big}}`, 10_001, ErrTooLarge},
		{"embedded over", `a {{payload.big}}`, 10_000, ErrTooLarge},
		{"embedded fits", `a {{payload.big}}`, 10_004, nil},
		{"repeated within an object", map[string]any{"a": "{{payload.big}}", "b": "{{payload.big}}"}, 20_000, ErrTooLarge},
		{"object fits", map[string]any{"a": "{{payload.big}}", "b": "{{payload.big}}"}, 20_000 + len(`{"a":"","b":""}`), nil},
		{"embedded array", `list: {{payload.list}}`, 20_000, ErrTooLarge},
		{"literal counted", []any{"literal text", 1.5}, 10, ErrTooLarge},
		{"unbounded", `{{payload.list}}{{payload.list}}`, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tmpl, err := Parse(tt.tmpl)
			if err != nil {
				t.Fatal(err)
			}
			got, err := tmpl.Render(vars, tt.max)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Render error = %v, want %v", err, tt.want)
			}
			if err == nil && tt.max > 0 {
				b, _ := json.Marshal(got)
				if len(b) > tt.max {
					t.Fatalf("output of %d bytes passed a bound of %d", len(b), tt.max)
				}
			}
		})
	}
}

func TestRenderStringTooLarge(t *testing.T) {
	t.Parallel()
	vars := Vars{Payload: map[string]any{"s": strings.Repeat("é", 10)}} // 20 bytes
	tmpl, err := ParseString("<{{payload.s}}>")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := tmpl.RenderString(vars, 22); err != nil || len(got) != 22 {
		t.Fatalf("RenderString(22) = %q, %v", got, err)
	}
	if _, err := tmpl.RenderString(vars, 21); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("RenderString(21) error = %v", err)
	}
}

// The size bound is stated in JSON bytes, so the count must match
// encoding/json exactly, escapes included.
func TestEncodedLenMatchesMarshal(t *testing.T) {
	t.Parallel()
	values := []any{
		nil, true, false, "", "plain", "<a href=\"x\">&amp;</a>", "tab\tnl\nbs\\bell\x07\b\f\r",
		"é ü 中文 😀", "\u2028\u2029", "bad \xff utf8 \xc3", "\x7f",
		json.Number("1.50"), json.Number(""), 1.5, 1e21, 1e-7, 0.0, 42,
		map[string]any{"k<": []any{1.0, "v", nil, map[string]any{}}, "": []any{}},
		[]any(nil), map[string]any(nil), map[string]string{"a": "b"},
	}
	for _, v := range values {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("Marshal(%#v): %v", v, err)
		}
		n, err := encodedLen(v, 1<<20)
		if err != nil || n != len(b) {
			t.Errorf("encodedLen(%#v) = %d, %v; Marshal wrote %d bytes: %s", v, n, err, len(b), b)
		}
		if _, err := encodedLen(v, len(b)-1); !errors.Is(err, ErrTooLarge) {
			t.Errorf("encodedLen(%#v, %d) error = %v, want ErrTooLarge", v, len(b)-1, err)
		}
	}
}
