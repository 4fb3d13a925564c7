package crm

import (
	"strings"

	"github.com/nyaruka/phonenumbers"

	"github.com/wexio/webhooks/internal/apperr"
)

// normPhone returns the E.164 form (+4915112345678) of v, so phones written
// any way compare equal, or BAD_USER_INPUT. A number must carry its country
// code: after a + or 00, or as bare digits not starting with 0, an
// international number missing its "+" ("442079460958", WhatsApp's wa_id).
// A national number ("0151 12345678") is refused: without a region there is
// no telling whose. An extension is dropped, since E.164 has none; a "tel:"
// URI is read as its number.
//
// The check is that the number is possible for its country (country code
// and full, not local-only, length fit), not that it is assigned: numbering
// plans change faster than the metadata shipped in the binary, and refusing
// a real customer's phone costs more than storing an unassigned one.
func normPhone(v string) (string, error) {
	s := strings.TrimSpace(v)
	if len(s) > 4 && strings.EqualFold(s[:4], "tel:") { // an RFC 3966 URI, as some providers send
		s = s[4:]
	}
	if rest, ok := strings.CutPrefix(s, "00"); ok {
		s = "+" + rest
	} else if allDigits(s) && s[0] != '0' {
		s = "+" + s
	}
	if !strings.HasPrefix(s, "+") {
		return "", invalidPhone(v)
	}
	num, err := phonenumbers.Parse(s, "")
	if err != nil || phonenumbers.IsPossibleNumberWithReason(num) != phonenumbers.IS_POSSIBLE {
		return "", invalidPhone(v)
	}
	return phonenumbers.Format(num, phonenumbers.E164), nil
}

func invalidPhone(v string) error {
	return apperr.Invalid("phone %q is not a valid phone number", v)
}
