package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// KeyPrefix starts every API key.
const KeyPrefix = "wx_"

// NewKey returns a fresh API key: "wx_" and 43 URL-safe characters (256
// random bits).
func NewKey() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (crypto/rand panics itself on failure)
	return KeyPrefix + base64.RawURLEncoding.EncodeToString(b)
}

// HashKey is what is stored and looked up: the key's SHA-256. A fast hash is
// right here because keys carry 256 random bits; nothing to brute-force.
func HashKey(key string) []byte {
	h := sha256.Sum256([]byte(key))
	return h[:]
}

// WellFormed reports whether key looks like an API key, so garbage is
// refused without a database round trip.
func WellFormed(key string) bool {
	rest, ok := strings.CutPrefix(key, KeyPrefix)
	if !ok || len(rest) < 32 || len(rest) > 128 {
		return false
	}
	for _, c := range rest {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// Hint is the recognisable start of a key, safe to show and log.
func Hint(key string) string {
	if len(key) <= 7 {
		return key
	}
	return key[:7] + "…"
}
