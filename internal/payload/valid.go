package payload

// A JSON validator with the nesting bound built in, for Validate on the
// inbound hot path: it accepts exactly what json.Valid accepts (FuzzScan
// holds it to json.Valid and checkDepth), in one pass where json.Valid's
// scanner, a function call a byte, and checkDepth took two; they were a
// twentieth of the path's CPU.

// scan reports whether raw is one JSON value, surrounded by white space
// only, nested at most limit deep; when it is not only because it nests
// deeper, deepAt is the offset of the first bracket past limit, else -1.
func scan(raw []byte, limit int) (ok bool, deepAt int) {
	s := scanner{raw: raw, limit: limit, deepAt: -1}
	s.space()
	if !s.value(0) {
		return false, s.deepAt
	}
	s.space()
	return s.i == len(s.raw), -1
}

type scanner struct {
	raw    []byte
	i      int
	limit  int
	deepAt int
}

func (s *scanner) space() {
	for s.i < len(s.raw) {
		switch s.raw[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// value reads one value at nesting depth.
func (s *scanner) value(depth int) bool {
	if s.i >= len(s.raw) {
		return false
	}
	switch c := s.raw[s.i]; {
	case c == '{' || c == '[':
		if depth >= s.limit {
			s.deepAt = s.i
			return false
		}
		s.i++
		if c == '{' {
			return s.object(depth + 1)
		}
		return s.array(depth + 1)
	case c == '"':
		return s.str()
	case c == '-' || (c >= '0' && c <= '9'):
		return s.number()
	case c == 't':
		return s.literal("true")
	case c == 'f':
		return s.literal("false")
	case c == 'n':
		return s.literal("null")
	}
	return false
}

func (s *scanner) object(depth int) bool {
	return s.elements('}', func() bool {
		if s.i >= len(s.raw) || s.raw[s.i] != '"' || !s.str() {
			return false
		}
		s.space()
		if s.i >= len(s.raw) || s.raw[s.i] != ':' {
			return false
		}
		s.i++
		s.space()
		return s.value(depth)
	})
}

func (s *scanner) array(depth int) bool {
	return s.elements(']', func() bool { return s.value(depth) })
}

// elements reads what follows an object's or array's opening bracket:
// none, or elements read by element separated by commas, then end.
func (s *scanner) elements(end byte, element func() bool) bool {
	s.space()
	if s.i < len(s.raw) && s.raw[s.i] == end {
		s.i++
		return true
	}
	for {
		if !element() {
			return false
		}
		s.space()
		if s.i >= len(s.raw) {
			return false
		}
		switch s.raw[s.i] {
		case ',':
			s.i++
			s.space()
		case end:
			s.i++
			return true
		default:
			return false
		}
	}
}

// str reads a string from its opening quote. Like encoding/json, it takes
// any byte from 0x20 up, UTF-8 or not, and the escapes of RFC 8259.
func (s *scanner) str() bool {
	s.i++ // the quote
	for s.i < len(s.raw) {
		c := s.raw[s.i]
		switch {
		case c == '"':
			s.i++
			return true
		case c == '\\':
			s.i++
			if s.i >= len(s.raw) {
				return false
			}
			switch s.raw[s.i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				s.i++
			case 'u':
				if s.i+4 >= len(s.raw) {
					return false
				}
				for _, h := range s.raw[s.i+1 : s.i+5] {
					if !isHex(h) {
						return false
					}
				}
				s.i += 5
			default:
				return false
			}
		case c < 0x20:
			return false
		default:
			s.i++
		}
	}
	return false
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

// number reads -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (s *scanner) number() bool {
	if s.raw[s.i] == '-' {
		s.i++
	}
	if s.i >= len(s.raw) {
		return false
	}
	switch c := s.raw[s.i]; {
	case c == '0':
		s.i++
	case c >= '1' && c <= '9':
		s.digits()
	default:
		return false
	}
	if s.i < len(s.raw) && s.raw[s.i] == '.' {
		s.i++
		if !s.digits() {
			return false
		}
	}
	if s.i < len(s.raw) && (s.raw[s.i] == 'e' || s.raw[s.i] == 'E') {
		s.i++
		if s.i < len(s.raw) && (s.raw[s.i] == '+' || s.raw[s.i] == '-') {
			s.i++
		}
		if !s.digits() {
			return false
		}
	}
	return true
}

// digits reads one digit or more.
func (s *scanner) digits() bool {
	start := s.i
	for s.i < len(s.raw) && s.raw[s.i] >= '0' && s.raw[s.i] <= '9' {
		s.i++
	}
	return s.i > start
}

func (s *scanner) literal(word string) bool {
	if len(s.raw)-s.i < len(word) || string(s.raw[s.i:s.i+len(word)]) != word {
		return false
	}
	s.i += len(word)
	return true
}
