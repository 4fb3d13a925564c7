package payload

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// MaxDepth is how deeply objects and arrays (counted alike) may nest.
const MaxDepth = 64

// Errors returned by Parse; decide with errors.Is.
var (
	ErrInvalidJSON          = errors.New("payload: invalid JSON")
	ErrInvalidForm          = errors.New("payload: invalid form body")
	ErrTooDeep              = errors.New("payload: JSON nested deeper than 64")
	ErrUnsupportedMediaType = errors.New("payload: unsupported media type")
)

// Parse decodes raw according to contentType, the value of a Content-Type
// header. JSON (application/json or any */*+json) keeps numbers as
// json.Number so their exact text survives; a form body
// (application/x-www-form-urlencoded) becomes a map whose values are strings,
// or []any of strings for repeated keys.
func Parse(contentType string, raw []byte) (any, error) {
	switch {
	case IsJSON(contentType):
		return parseJSON(raw)
	case IsForm(contentType):
		return parseForm(raw)
	default:
		return nil, fmt.Errorf("%w: %q", ErrUnsupportedMediaType, contentType)
	}
}

// IsJSON reports whether contentType names JSON: application/json or a
// structured-syntax +json type such as application/vnd.api+json.
func IsJSON(contentType string) bool {
	typ, sub, ok := mediaType(contentType)
	if !ok {
		return false
	}
	if typ == "application" && sub == "json" {
		return true
	}
	base, found := strings.CutSuffix(sub, "+json")
	return found && base != ""
}

// IsForm reports whether contentType is application/x-www-form-urlencoded.
func IsForm(contentType string) bool {
	typ, sub, ok := mediaType(contentType)
	return ok && typ == "application" && sub == "x-www-form-urlencoded"
}

// mediaType splits the media type of a Content-Type value, lower-cased, with
// its parameters dropped. It is lenient about parameters on purpose: senders
// write "charset=UTF-8;" and worse, and parameters never change the decision.
func mediaType(contentType string) (typ, sub string, ok bool) {
	mt, _, _ := strings.Cut(contentType, ";")
	mt = strings.ToLower(strings.TrimSpace(mt))
	typ, sub, ok = strings.Cut(mt, "/")
	if !ok || !isToken(typ) || !isToken(sub) {
		return "", "", false
	}
	return typ, sub, true
}

// isToken reports whether s is a non-empty RFC 9110 token.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		alnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		if !alnum && !strings.ContainsRune("!#$%&'*+-.^_`|~", rune(c)) {
			return false
		}
	}
	return true
}

func parseJSON(raw []byte) (any, error) {
	if err := checkDepth(raw, MaxDepth); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%w: empty body", ErrInvalidJSON)
		}
		return nil, fmt.Errorf("%w: %w", ErrInvalidJSON, err)
	}
	rest := raw[dec.InputOffset():]
	if len(bytes.TrimLeft(rest, " \t\r\n")) > 0 {
		return nil, fmt.Errorf("%w: data after the JSON value at offset %d",
			ErrInvalidJSON, dec.InputOffset())
	}
	return v, nil
}

// Validate reports the error Parse would return for raw, without building
// the decoded value: the inbound hot path only needs the verdict, and
// decodes later where a value is needed.
func Validate(contentType string, raw []byte) error {
	if !IsJSON(contentType) {
		_, err := Parse(contentType, raw)
		return err
	}
	ok, deepAt := scan(raw, MaxDepth)
	if ok {
		return nil
	}
	if deepAt >= 0 {
		return tooDeep(deepAt)
	}
	// Invalid: said as before the one-pass scan, the nesting first (it
	// may go too deep past the fault), then the decoder's description.
	if err := checkDepth(raw, MaxDepth); err != nil {
		return err
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return fmt.Errorf("%w: empty body", ErrInvalidJSON)
	}
	_, err := parseJSON(raw)
	return err
}
