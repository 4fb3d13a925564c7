package capture

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

var validTypes = map[string]bool{
	TypeString: true, TypeNumber: true, TypeBoolean: true,
	TypeObject: true, TypeArray: true, TypeNull: true,
}

func FuzzInfer(f *testing.F) {
	for _, s := range []string{
		`{"id":"evt_1","data":{"object":{"amount":4200,"items":[{"sku":"A"},{"qty":2}]}}}`,
		`[{"a":1},{"b":[null,"x"]}]`,
		`{"matrix":[[1,2],[3]]}`,
		`"scalar"`, `null`, `{}`, `{"a":1} x`, `{"":{"":[]}}`,
		strings.Repeat("[", 64) + strings.Repeat("]", 64),
		strings.Repeat("[", 65) + strings.Repeat("]", 65),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		fields, err := Infer(raw)
		if err != nil {
			if !errors.Is(err, ErrInvalidJSON) && !errors.Is(err, ErrTooDeep) {
				t.Fatalf("unexpected error %v", err)
			}
			if errors.Is(err, ErrInvalidJSON) && json.Valid(raw) {
				t.Fatalf("valid JSON rejected: %v", err)
			}
			return
		}
		if !json.Valid(raw) {
			t.Fatalf("invalid JSON %q accepted", raw)
		}
		if len(fields) > MaxFields {
			t.Fatalf("%d fields", len(fields))
		}
		seen := make(map[string]bool, len(fields))
		for _, fl := range fields {
			if fl.Path == "" || seen[fl.Path] {
				t.Fatalf("empty or duplicate path %q", fl.Path)
			}
			seen[fl.Path] = true
			if !validTypes[fl.Type] {
				t.Fatalf("type %q", fl.Type)
			}
			container := fl.Type == TypeObject || fl.Type == TypeArray || fl.Type == TypeNull
			if container != (fl.Example == nil) {
				t.Fatalf("field %#v: example does not match type", fl)
			}
		}
		TemplatePaths(fields)
	})
}
