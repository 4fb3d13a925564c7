package crm

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/wexio/webhooks/internal/apperr"
)

// Bounds on what a contact holds.
const (
	maxNameLen  = 200 // characters of a name
	maxIdentLen = 255 // characters of a chat id or channel user id
)

// allDigits reports whether s is one or more ASCII digits.
func allDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// normText checks a name, chat id or channel user id: trimmed, at most max
// characters.
func normText(field, v string, max int) (string, error) {
	v = strings.TrimSpace(v)
	if n := utf8.RuneCountInString(v); n > max {
		return "", apperr.Invalid("%s must be at most %d characters, got %d", field, max, n)
	}
	return v, nil
}

// scalarText is the text of a JSON scalar as an identifier: strings as they
// are, numbers in decimal without exponent (12345, -100123, 1.5). Booleans,
// null, objects and arrays have none.
func scalarText(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case json.Number:
		return numberText(x.String())
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case float32:
		return strconv.FormatFloat(float64(x), 'f', -1, 32), true
	case int:
		return strconv.Itoa(x), true
	case int64:
		return strconv.FormatInt(x, 10), true
	}
	return "", false
}

// numberText rewrites a JSON number's text without exponent.
func numberText(s string) (string, bool) {
	if allDigits(strings.TrimPrefix(s, "-")) {
		return s, true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return "", false
	}
	return strconv.FormatFloat(f, 'f', -1, 64), true
}

// canonical returns v as encoding/json decodes it into any (numbers as
// float64, objects as map[string]any), so values from GraphQL (json.Number,
// int64) compare equal to stored ones.
func canonical(v any) (any, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, apperr.Invalid("value is not representable as JSON: %v", err)
	}
	var out any
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("decoding canonical JSON: %w", err)
	}
	return out, nil
}

// canonicalObject is canonical for a value that must be a JSON object.
func canonicalObject(v any) (map[string]any, error) {
	c, err := canonical(v)
	if err != nil {
		return nil, err
	}
	m, ok := c.(map[string]any)
	if !ok {
		return nil, apperr.Invalid("attributes must be a JSON object")
	}
	return m, nil
}

// deepCopy copies the maps and slices of a canonical JSON value.
func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		s := make([]any, len(x))
		for i, e := range x {
			s[i] = deepCopy(e)
		}
		return s
	}
	return v
}
