package contact

import (
	"errors"
	"fmt"
	"net/mail"
	"strings"
)

// ErrInvalidEmail is wrapped by every error NormalizeEmail returns.
var ErrInvalidEmail = errors.New("contact: invalid email address")

// NormalizeEmail returns s trimmed and lower-cased, so addresses written in
// any case compare equal. s must parse as one RFC 5322 address; a display
// name ("Ann <ann@example.com>") is dropped, as payloads often carry a From
// header verbatim. Lower-casing the local part is technically lossy, but no
// mail system people use treats it as case-sensitive.
func NormalizeEmail(s string) (string, error) {
	trimmed := strings.TrimSpace(s)
	addr, err := mail.ParseAddress(trimmed)
	if err != nil {
		return "", fmt.Errorf("%w %q: %w", ErrInvalidEmail, trimmed, err)
	}
	local, domain, ok := strings.Cut(addr.Address, "@")
	if !ok || local == "" || domain == "" {
		return "", fmt.Errorf("%w %q: want local@domain", ErrInvalidEmail, trimmed)
	}
	return strings.ToLower(addr.Address), nil
}
