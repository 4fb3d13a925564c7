package payload

import (
	"bytes"
	"fmt"
)

// checkDepth fails with ErrTooDeep when objects and arrays in raw nest deeper
// than limit. It runs before decoding, in one pass and constant space, so a
// hostile body cannot make the decoder recurse deeply. It only tracks string
// boundaries and brackets; everything else about validity is left to the
// decoder, which means a body that is both invalid and too deep may be
// reported as too deep. Strings, most of a typical payload, are skipped
// with bytes.IndexByte from quote to quote.
func checkDepth(raw []byte, limit int) error {
	depth := 0
	for i := 0; i < len(raw); i++ {
		switch raw[i] {
		case '"':
			end, ok := stringEnd(raw, i)
			if !ok {
				return nil // unterminated: the decoder says so
			}
			i = end
		case '{', '[':
			depth++
			if depth > limit {
				return tooDeep(i)
			}
		case '}', ']':
			depth--
		}
	}
	return nil
}

// stringEnd is the offset of the quote closing the string that opens at
// raw[open]: the next quote preceded by an even number of backslashes.
func stringEnd(raw []byte, open int) (int, bool) {
	for from := open + 1; ; {
		k := bytes.IndexByte(raw[from:], '"')
		if k < 0 {
			return 0, false
		}
		q := from + k
		escapes := 0
		for p := q - 1; p > open && raw[p] == '\\'; p-- {
			escapes++
		}
		if escapes%2 == 0 {
			return q, true
		}
		from = q + 1
	}
}

// tooDeep is ErrTooDeep at the bracket at offset at.
func tooDeep(at int) error { return fmt.Errorf("%w (at offset %d)", ErrTooDeep, at) }
