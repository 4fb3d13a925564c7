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
// written any way compare equal. A number without a leading + is read as a
// national number of defaultRegion (ISO 3166 alpha-2, e.g. "DE"); with no
// region it must start with + or 00. An extension is dropped, since E.164
// has none.
//
// The check is that the number is possible for its country (country code
// and full, not local-only, length fit), not that it is assigned: numbering
// plans change faster than the metadata shipped in the binary, and refusing
// a real customer's phone costs more than storing an unassigned one.
func NormalizePhone(s, defaultRegion string) (string, error) {
	s = strings.TrimSpace(s)
	region := strings.ToUpper(strings.TrimSpace(defaultRegion))
	if region == "" {
		// 00 is the international prefix in most of the world; without a
		// region the library cannot know that, so spell it as +.
		if rest, ok := strings.CutPrefix(s, "00"); ok {
			s = "+" + rest
		}
		if !strings.HasPrefix(s, "+") {
			return "", fmt.Errorf("%w %q: no country code and no default region", ErrInvalidPhone, s)
		}
	}
	num, err := phonenumbers.Parse(s, region)
	if err != nil {
		return "", fmt.Errorf("%w %q: %w", ErrInvalidPhone, s, err)
	}
	if phonenumbers.IsPossibleNumberWithReason(num) != phonenumbers.IS_POSSIBLE {
		return "", fmt.Errorf("%w %q: wrong length for its country", ErrInvalidPhone, s)
	}
	return phonenumbers.Format(num, phonenumbers.E164), nil
}
