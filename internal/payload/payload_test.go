package payload

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func nest(open, close string, depth int, inner string) string {
	return strings.Repeat(open, depth) + inner + strings.Repeat(close, depth)
}

// mixed nests alternating objects and arrays: {"a":[{"a":[...]}]}.
func mixed(depth int) string {
	var b, e strings.Builder
	for i := 0; i < depth; i++ {
		if i%2 == 0 {
			b.WriteString(`{"a":`)
			e.WriteString("}")
		} else {
			b.WriteString("[")
			e.WriteString("]")
		}
	}
	end := []rune(e.String())
	for i, j := 0, len(end)-1; i < j; i, j = i+1, j-1 {
		end[i], end[j] = end[j], end[i]
	}
	return b.String() + "1" + string(end)
}

func TestParseJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		ct   string
		body string
		want any
		err  error
	}{
		{"object", "application/json", `{"a":1,"b":[true,null,"x"]}`,
			map[string]any{"a": json.Number("1"), "b": []any{true, nil, "x"}}, nil},
		{"exact number text", "application/json", `{"n":12345678901234567890.10}`,
			map[string]any{"n": json.Number("12345678901234567890.10")}, nil},
		{"charset", "application/json; charset=utf-8", `[1]`, []any{json.Number("1")}, nil},
		{"upper case", "Application/JSON;Charset=UTF-8", `"s"`, "s", nil},
		{"vnd+json", "application/vnd.api+json", `{"data":null}`, map[string]any{"data": nil}, nil},
		{"cloudevents", "application/cloudevents+json; charset=UTF-8", `true`, true, nil},
		{"surrounding whitespace", " application/json ", " \n{}\t\r\n", map[string]any{}, nil},
		{"scalar root", "application/json", `42.5`, json.Number("42.5"), nil},
		{"brackets in strings", "application/json", `{"a":"[[[{{{\"]]]"}`,
			map[string]any{"a": `[[[{{{"]]]`}, nil},
		{"empty", "application/json", ``, nil, ErrInvalidJSON},
		{"blank", "application/json", "  \n", nil, ErrInvalidJSON},
		{"trailing garbage", "application/json", `{"a":1}x`, nil, ErrInvalidJSON},
		{"two values", "application/json", `{} {}`, nil, ErrInvalidJSON},
		{"trailing bracket", "application/json", `{"a":1}]`, nil, ErrInvalidJSON},
		{"truncated", "application/json", `{"a":`, nil, ErrInvalidJSON},
		{"single quotes", "application/json", `{'a':1}`, nil, ErrInvalidJSON},
		{"text/plain", "text/plain", `{}`, nil, ErrUnsupportedMediaType},
		{"missing", "", `{}`, nil, ErrUnsupportedMediaType},
		{"bare +json", "application/+json", `{}`, nil, ErrUnsupportedMediaType},
		{"json as parameter", "text/plain; x=application/json", `{}`, nil, ErrUnsupportedMediaType},
		{"no subtype", "application", `{}`, nil, ErrUnsupportedMediaType},
		{"multipart", "multipart/form-data; boundary=x", `{}`, nil, ErrUnsupportedMediaType},
		{"json suffix without plus", "application/xjson", `{}`, nil, ErrUnsupportedMediaType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Parse(tt.ct, []byte(tt.body))
			if !errors.Is(err, tt.err) {
				t.Fatalf("Parse(%q, %q) error = %v, want %v", tt.ct, tt.body, err, tt.err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Parse(%q, %q) = %#v, want %#v", tt.ct, tt.body, got, tt.want)
			}
		})
	}
}

func TestParseDepth(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
		err  error
	}{
		{"arrays 64", nest("[", "]", 64, ""), nil},
		{"arrays 65", nest("[", "]", 65, ""), ErrTooDeep},
		{"objects 64", nest(`{"a":`, "}", 63, "{}"), nil},
		{"objects 65", nest(`{"a":`, "}", 64, "{}"), ErrTooDeep},
		{"mixed 64", mixed(64), nil},
		{"mixed 65", mixed(65), ErrTooDeep},
		{"deep in a string is fine", `"` + strings.Repeat("[", 1000) + `"`, nil},
		{"siblings do not add up", `[` + strings.Repeat(nest("[", "]", 63, "")+",", 10) + `[]]`, nil},
		{"hostile unterminated", strings.Repeat("[", 1<<20), ErrTooDeep},
		{"escaped quote keeps string open", `["\"[[[[", ` + nest("[", "]", 63, "") + `]`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse("application/json", []byte(tt.body))
			if !errors.Is(err, tt.err) {
				t.Fatalf("error = %v, want %v", err, tt.err)
			}
		})
	}
}

func TestParseForm(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		ct   string
		body string
		want any
		err  error
	}{
		{"simple", "application/x-www-form-urlencoded", "a=1&b=hello+world",
			map[string]any{"a": "1", "b": "hello world"}, nil},
		{"repeated keys", "application/x-www-form-urlencoded; charset=UTF-8", "tag=x&id=7&tag=y&tag=z",
			map[string]any{"tag": []any{"x", "y", "z"}, "id": "7"}, nil},
		{"escapes and empty values", "Application/X-WWW-Form-Urlencoded", "e=a%40b.com&empty=&flag",
			map[string]any{"e": "a@b.com", "empty": "", "flag": ""}, nil},
		{"slack style payload", "application/x-www-form-urlencoded",
			"payload=%7B%22type%22%3A%22block_actions%22%7D",
			map[string]any{"payload": `{"type":"block_actions"}`}, nil},
		{"empty body", "application/x-www-form-urlencoded", "", map[string]any{}, nil},
		{"bad escape", "application/x-www-form-urlencoded", "a=%zz", nil, ErrInvalidForm},
		{"semicolon", "application/x-www-form-urlencoded", "a=1;b=2", nil, ErrInvalidForm},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Parse(tt.ct, []byte(tt.body))
			if !errors.Is(err, tt.err) {
				t.Fatalf("error = %v, want %v", err, tt.err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Parse = %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestMediaTypePredicates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		ct           string
		json, isForm bool
	}{
		{"application/json", true, false},
		{"application/json;charset=utf-8", true, false},
		{"APPLICATION/JSON", true, false},
		{"application/problem+json", true, false},
		{"text/foo+json", true, false},
		{"application/x-www-form-urlencoded", false, true},
		{"application/x-www-form-urlencoded;charset=utf-8", false, true},
		{"text/plain", false, false},
		{"application/xml", false, false},
		{"", false, false},
		{"application/json/extra", false, false},
		{"app lication/json", false, false},
	}
	for _, tt := range tests {
		if got := IsJSON(tt.ct); got != tt.json {
			t.Errorf("IsJSON(%q) = %v, want %v", tt.ct, got, tt.json)
		}
		if got := IsForm(tt.ct); got != tt.isForm {
			t.Errorf("IsForm(%q) = %v, want %v", tt.ct, got, tt.isForm)
		}
	}
}

func TestErrorTexts(t *testing.T) {
	t.Parallel()
	for _, err := range []error{ErrInvalidJSON, ErrInvalidForm, ErrTooDeep, ErrUnsupportedMediaType} {
		if !strings.HasPrefix(err.Error(), "payload: ") {
			t.Errorf("%q lacks the package prefix", err)
		}
	}
}

// Validate agrees with Parse on every verdict.
func TestValidateAgreesWithParse(t *testing.T) {
	bodies := []string{`{}`, `[1,2]`, `"x"`, ``, ` `, `{"a":`, `{} {}`, `{}  `, strings.Repeat("[", 65) + strings.Repeat("]", 65),
		strings.Repeat("[", 64) + strings.Repeat("]", 64), `{"a":"\u00e9"}`, "\xff", `nul`, `1e999`}
	for _, ct := range []string{"application/json", "application/x-www-form-urlencoded", "text/plain"} {
		for _, b := range bodies {
			_, perr := Parse(ct, []byte(b))
			verr := Validate(ct, []byte(b))
			if (perr == nil) != (verr == nil) || (perr != nil && !sameSentinel(perr, verr)) {
				t.Errorf("%s %q: Parse %v, Validate %v", ct, b, perr, verr)
			}
		}
	}
}

func sameSentinel(a, b error) bool {
	for _, s := range []error{ErrInvalidJSON, ErrInvalidForm, ErrTooDeep, ErrUnsupportedMediaType} {
		if errors.Is(a, s) && errors.Is(b, s) {
			return true
		}
	}
	return false
}

// TestCheckDepthSkipsStrings: brackets inside strings, escaped quotes and
// escaped backslashes before a closing quote do not count; brackets after
// them do.
func TestCheckDepthSkipsStrings(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		raw     string
		tooDeep bool
	}{
		{`{"a":"[[[[[[[["}`, false},
		{`{"a":"\"[[[[[[[["}`, false},
		{`{"a":"\\"}`, false},
		{`{"a":"\\\"[[[["}`, false},
		{`{"a":"\\","b":[[[[[[]]]]]]}`, true},
		{`[[[[[[[`, true},
		{`"unterminated [[[[[[[`, false},
		{`{"a":"x"}[[[[[[`, true},
	} {
		err := checkDepth([]byte(tc.raw), 3)
		if (err != nil) != tc.tooDeep || err != nil && !errors.Is(err, ErrTooDeep) {
			t.Errorf("%s: %v, too deep %v", tc.raw, err, tc.tooDeep)
		}
	}
}
