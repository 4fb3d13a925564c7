package payload

import "fmt"

// checkDepth fails with ErrTooDeep when objects and arrays in raw nest deeper
// than limit. It runs before decoding, in one pass and constant space, so a
// hostile body cannot make the decoder recurse deeply. It only tracks string
// boundaries and brackets; everything else about validity is left to the
// decoder, which means a body that is both invalid and too deep may be
// reported as too deep.
func checkDepth(raw []byte, limit int) error {
	depth := 0
	inString, escaped := false, false
	for i, c := range raw {
		if inString {
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '{', '[':
			depth++
			if depth > limit {
				return fmt.Errorf("%w (at offset %d)", ErrTooDeep, i)
			}
		case '}', ']':
			depth--
		}
	}
	return nil
}
