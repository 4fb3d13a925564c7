package template

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// encodedLen returns the length of json.Marshal(v), or ErrTooLarge as soon
// as the count passes limit, so a huge payload inserted whole is never
// walked, let alone encoded, in full.
func encodedLen(v any, limit int) (int, error) {
	s := sizer{limit: limit}
	if !s.value(v) && s.err == nil {
		return 0, ErrTooLarge
	}
	return s.n, s.err
}

type sizer struct {
	n, limit int
	err      error
}

// add counts k bytes and reports whether counting should go on.
func (s *sizer) add(k int) bool {
	if k > s.limit-s.n {
		return false
	}
	s.n += k
	return true
}

func (s *sizer) value(v any) bool {
	switch v := v.(type) {
	case nil:
		return s.add(4)
	case bool:
		if v {
			return s.add(4)
		}
		return s.add(5)
	case string:
		return s.add(quotedLen(v))
	case json.Number:
		return s.add(max(len(v), 1)) // Marshal writes "" as 0
	case map[string]any:
		if v == nil {
			return s.add(4)
		}
		if !s.add(2 + max(len(v)-1, 0)) {
			return false
		}
		for k, e := range v {
			if !s.add(quotedLen(k)+1) || !s.value(e) {
				return false
			}
		}
		return true
	case []any:
		if v == nil {
			return s.add(4)
		}
		if !s.add(2 + max(len(v)-1, 0)) {
			return false
		}
		for _, e := range v {
			if !s.value(e) {
				return false
			}
		}
		return true
	default:
		// Numbers and the odd typed value: small, so encoding is fine.
		b, err := json.Marshal(v)
		if err != nil {
			s.err = fmt.Errorf("rendering value: %w", err)
			return false
		}
		return s.add(len(b))
	}
}

// quotedLen is the length of s as encoding/json writes it, HTML escaping on.
func quotedLen(s string) int {
	n := 2
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			switch {
			case b == '"' || b == '\\' || b == '\b' || b == '\f' || b == '\n' || b == '\r' || b == '\t':
				n += 2
			case b < 0x20 || b == '<' || b == '>' || b == '&':
				n += 6
			default:
				n++
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			n += 6
		} else {
			n += size
		}
		i += size
	}
	return n
}
