package schematype

import (
	"slices"
	"unicode/utf8"
)

// AppendJSON appends m encoded byte for byte as encoding/json encodes it
// (TestAppendJSONMatchesMarshal, FuzzAppendJSON): the hot paths encode a
// message per request and per attempt, and encoding/json's reflection,
// map iteration and sorting were half of that.
func (m HTTPMessage) AppendJSON(b []byte) []byte {
	b = append(b, '{')
	if m.Method != "" {
		b = appendJSONString(append(b, `"method":`...), m.Method)
		b = append(b, ',')
	}
	if m.URL != "" {
		b = appendJSONString(append(b, `"url":`...), m.URL)
		b = append(b, ',')
	}
	b = append(b, `"headers":`...)
	if m.Headers == nil {
		b = append(b, "null"...)
	} else {
		names := make([]string, 0, len(m.Headers))
		for k := range m.Headers {
			names = append(names, k)
		}
		slices.Sort(names) // encoding/json sorts a map's keys as strings
		b = append(b, '{')
		for i, k := range names {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, k)
			b = appendJSONString(append(b, ':'), m.Headers[k])
		}
		b = append(b, '}')
	}
	if m.Body != "" {
		b = appendJSONString(append(b, `,"body":`...), m.Body)
	}
	if m.BodyBase64 != nil {
		b = appendJSONString(append(b, `,"bodyBase64":`...), *m.BodyBase64)
	}
	return append(b, '}')
}

// jsonSafe marks the ASCII bytes a JSON string keeps as they are, HTML
// escaping on: a table, as encoding/json's, not six comparisons a byte.
var jsonSafe = func() (safe [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		safe[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return safe
}()

// appendJSONString is encoding/json's encoding of a string, HTML escaped
// as json.Marshal does: <, > and & as \u00XX, control characters escaped,
// invalid UTF-8 as U+FFFD, and U+2028 and U+2029 escaped.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if jsonSafe[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(append(b, s[start:i]...), `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(append(b, s[start:i]...), '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	return append(append(b, s[start:]...), '"')
}
