package crm

import (
	"net/mail"
	"strings"

	"github.com/wexio/webhooks/internal/apperr"
)

// normEmail returns s as stored: trimmed and lower-cased, so addresses
// written in any case compare equal, or BAD_USER_INPUT. s must parse as one
// RFC 5322 address; a display name ("Ann <ann@example.com>") is dropped, as
// payloads often carry a From header verbatim. Lower-casing the local part
// is technically lossy, but no mail system people use treats it as
// case-sensitive.
func normEmail(s string) (string, error) {
	addr, err := mail.ParseAddress(strings.TrimSpace(s))
	if err != nil {
		return "", invalidEmail(s)
	}
	local, domain, ok := strings.Cut(addr.Address, "@")
	if !ok || local == "" || domain == "" {
		return "", invalidEmail(s)
	}
	return strings.ToLower(addr.Address), nil
}

func invalidEmail(s string) error {
	return apperr.Invalid("email %q is not a valid address", s)
}
