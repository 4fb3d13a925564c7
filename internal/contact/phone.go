package contact

import (
	"errors"
	"fmt"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// ErrInvalidPhone is wrapped by every error NormalizePhone returns.
var ErrInvalidPhone = errors.New("contact: invalid phone number")

// NormalizePhone returns the E.164 form (+4915112345678) of s, so phones
// written any way compare equal. A number must carry its country code: after
// a + or 00, or as bare digits not starting with 0, an international number
// missing its "+" ("442079460958", WhatsApp's wa_id). A national number
// ("0151 12345678") is refused: without a region there is no telling whose.
// An extension is dropped, since E.164 has none; a "tel:" URI is read as
// its number.
//
// The check is that the number is possible for its country (country code
// and full, not local-only, length fit), not that it is assigned: numbering
// plans change faster than the metadata shipped in the binary, and refusing
// a real customer's phone costs more than storing an unassigned one.
func NormalizePhone(s string) (string, error) {
	s = strings.TrimSpace(s)
	if len(s) > 4 && strings.EqualFold(s[:4], "tel:") { // an RFC 3966 URI, as some providers send
		s = s[4:]
	}
	if rest, ok := strings.CutPrefix(s, "00"); ok {
		s = "+" + rest
	} else if s != "" && s[0] != '0' && strings.Trim(s, "0123456789") == "" {
		s = "+" + s
	}
	if !strings.HasPrefix(s, "+") {
		return "", fmt.Errorf("%w %q: no country code", ErrInvalidPhone, s)
	}
	num, err := phonenumbers.Parse(s, "")
	if err != nil {
		return "", fmt.Errorf("%w %q: %w", ErrInvalidPhone, s, err)
	}
	if phonenumbers.IsPossibleNumberWithReason(num) != phonenumbers.IS_POSSIBLE {
		return "", fmt.Errorf("%w %q: wrong length for its country", ErrInvalidPhone, s)
	}
	return phonenumbers.Format(num, phonenumbers.E164), nil
}
