package signing

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// SecretPrefix starts every Standard Webhooks signing secret.
const SecretPrefix = "whsec_"

// secretBytes is the key size NewSecret generates, the middle of what
// CheckSecret allows.
const secretBytes = 32

// ErrInvalidSecret is matched (errors.Is) by every error about a signing
// secret. The errors never contain the secret.
var ErrInvalidSecret = errors.New("signing: invalid secret")

// ErrNoSecret is returned by Sign when it has no secret to sign with.
var ErrNoSecret = errors.New("signing: no secret")

// Sign returns the webhook-signature header value: one "v1,<base64>" per
// secret, space-separated, in the order given (the current secret first,
// then the previous one during a rotation's grace period). Each signature
// is HMAC-SHA256 over "<msgID>.<unix seconds>.<body>" keyed with the
// base64-decoded part of the secret after "whsec_".
func Sign(secrets []string, msgID string, ts time.Time, body []byte) (string, error) {
	if len(secrets) == 0 {
		return "", ErrNoSecret
	}
	content := make([]byte, 0, len(msgID)+len(body)+22)
	content = append(content, msgID...)
	content = append(content, '.')
	content = strconv.AppendInt(content, ts.Unix(), 10)
	content = append(content, '.')
	content = append(content, body...)

	sigs := make([]string, len(secrets))
	for i, secret := range secrets {
		key, err := decodeSecret(secret)
		if err != nil {
			return "", fmt.Errorf("signing with secret %d of %d: %w", i+1, len(secrets), err)
		}
		mac := hmac.New(sha256.New, key)
		mac.Write(content)
		sigs[i] = "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
	}
	return strings.Join(sigs, " "), nil
}

// NewSecret returns a fresh signing secret: "whsec_" and the standard
// base64 of 32 random bytes.
func NewSecret() (string, error) {
	key := make([]byte, secretBytes)
	if _, err := rand.Read(key); err != nil {
		return "", fmt.Errorf("generating signing secret: %w", err)
	}
	return SecretPrefix + base64.StdEncoding.EncodeToString(key), nil
}

// decodeSecret returns the HMAC key of a secret. Like the Standard Webhooks
// libraries it takes the prefix as optional; unlike the Go one it also
// takes unpadded base64, as the JavaScript and Python ones do.
func decodeSecret(secret string) ([]byte, error) {
	key, err := decodeKey(strings.TrimPrefix(secret, SecretPrefix))
	if err != nil {
		return nil, fmt.Errorf("%w: not base64 after %q", ErrInvalidSecret, SecretPrefix)
	}
	if len(key) == 0 {
		return nil, fmt.Errorf("%w: empty key", ErrInvalidSecret)
	}
	return key, nil
}

// decodeKey decodes the base64 part of a secret, padded or not.
func decodeKey(encoded string) ([]byte, error) {
	key, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		key, err = base64.RawStdEncoding.DecodeString(encoded)
	}
	return key, err
}
