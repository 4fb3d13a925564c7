package signing

import (
	"fmt"
	"strings"
)

// The key sizes the Standard Webhooks spec allows in a secret.
const (
	minSecretBytes = 24
	maxSecretBytes = 64
)

// SecretError says why CheckSecret refused a secret, in words meant for the
// user who gave it (the API shows it after the field's name), so its text
// carries no package prefix; errors.Is(err, ErrInvalidSecret) holds.
type SecretError struct{ Problem string }

func (e *SecretError) Error() string { return e.Problem }

// Is makes errors.Is(err, ErrInvalidSecret) true.
func (e *SecretError) Is(target error) bool { return target == ErrInvalidSecret }

// CheckSecret vets a secret a user supplies (on creation or rotation):
// "whsec_" and the base64 (padded or not) of 24 to 64 bytes, as the
// Standard Webhooks spec asks. The prefix, optional to Sign (as to the
// spec's libraries), is required here: every secret saved from now on has
// the spec's one form, and a value without it is more likely some other
// credential pasted by mistake. Errors are *SecretError and never repeat
// the secret.
func CheckSecret(secret string) error {
	encoded, ok := strings.CutPrefix(secret, SecretPrefix)
	if !ok {
		return &SecretError{`must start with "` + SecretPrefix + `"`}
	}
	key, err := decodeKey(encoded)
	if err != nil {
		return &SecretError{"must be " + SecretPrefix + " followed by base64"}
	}
	if len(key) < minSecretBytes || len(key) > maxSecretBytes {
		return &SecretError{fmt.Sprintf("must encode %d to %d bytes", minSecretBytes, maxSecretBytes)}
	}
	return nil
}
