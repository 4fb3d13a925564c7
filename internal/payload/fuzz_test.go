package payload

import (
	"encoding/json"
	"errors"
	"testing"
)

// jsonDepth measures the nesting of a decoded document.
func jsonDepth(v any) int {
	deepest := 0
	switch v := v.(type) {
	case map[string]any:
		for _, e := range v {
			deepest = max(deepest, jsonDepth(e))
		}
		return deepest + 1
	case []any:
		for _, e := range v {
			deepest = max(deepest, jsonDepth(e))
		}
		return deepest + 1
	}
	return 0
}

func FuzzParse(f *testing.F) {
	seeds := []struct{ ct, body string }{
		{"application/json", `{"type":"invoice.paid","data":{"object":{"amount":4200,"items":[{"sku":"A"}]}}}`},
		{"application/json; charset=utf-8", `[1,2.5,-3e10,"x",true,null]`},
		{"application/vnd.api+json", `{"data":{"type":"orders","id":"1"}}`},
		{"application/json", nest("[", "]", 64, "")},
		{"application/json", nest("[", "]", 65, "")},
		{"application/json", mixed(65)},
		{"application/json", `{"a":"\"[[["}`},
		{"application/json", `{"a":1} x`},
		{"application/x-www-form-urlencoded", "token=abc&text=hi+there&tag=a&tag=b"},
		{"text/plain", "hello"},
	}
	for _, s := range seeds {
		f.Add(s.ct, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, ct string, raw []byte) {
		v, err := Parse(ct, raw)
		if !IsJSON(ct) {
			if !IsForm(ct) && !errors.Is(err, ErrUnsupportedMediaType) {
				t.Fatalf("unsupported %q accepted: %v", ct, err)
			}
			return
		}
		valid := json.Valid(raw)
		switch {
		case err == nil:
			if !valid {
				t.Fatalf("invalid JSON %q accepted", raw)
			}
			if d := jsonDepth(v); d > MaxDepth {
				t.Fatalf("depth %d accepted", d)
			}
		case errors.Is(err, ErrTooDeep):
			if valid {
				var w any
				if json.Unmarshal(raw, &w) == nil && jsonDepth(w) <= MaxDepth {
					t.Fatalf("depth %d rejected as too deep", jsonDepth(w))
				}
			}
		case errors.Is(err, ErrInvalidJSON):
			if valid {
				t.Fatalf("valid JSON %q rejected: %v", raw, err)
			}
		default:
			t.Fatalf("unexpected error %v", err)
		}
	})
}
