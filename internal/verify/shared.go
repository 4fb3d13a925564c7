package verify

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
)

// tokenAuth compares a static token sent in a header (family F8, and our own
// SHARED_SECRET mode) with each secret.
type tokenAuth struct {
	headers []string // each is tried
	bearer  bool     // also accept "Authorization: Bearer <token>"
}

var (
	_ authenticator = tokenAuth{}
	_ authenticator = basicAuth{}
)

// sharedSecretAuth is the SHARED_SECRET mode (providers.md §1).
var sharedSecretAuth = tokenAuth{headers: []string{"X-Webhook-Secret"}, bearer: true}

func (a tokenAuth) authenticate(in input) (int, error) {
	var sent []string
	for _, h := range a.headers {
		if v := headerValue(in.req.Header, h); v != "" {
			sent = append(sent, v)
		}
	}
	if a.bearer {
		if v, ok := authScheme(in.req.Header.Get("Authorization"), "Bearer"); ok {
			sent = append(sent, v)
		}
	}
	if len(sent) == 0 {
		return -1, ErrMissingSignature
	}
	for i, secret := range in.secrets {
		for _, v := range sent {
			if equalSecret(v, secret) {
				return i, nil
			}
		}
	}
	return -1, ErrInvalidSignature
}

func (tokenAuth) checkSecret(string) error { return nil }

// basicAuth checks "Authorization: Basic" against secrets written
// "username:password" (family F9). Both sides split on the first ':', as
// chargebee-node does, so passwords may contain colons.
type basicAuth struct{}

func (basicAuth) authenticate(in input) (int, error) {
	cred, ok := authScheme(in.req.Header.Get("Authorization"), "Basic")
	if !ok {
		return -1, ErrMissingSignature
	}
	raw, err := base64.StdEncoding.DecodeString(cred)
	if err != nil {
		return -1, ErrInvalidSignature
	}
	user, pass, ok := strings.Cut(string(raw), ":")
	if !ok {
		return -1, ErrInvalidSignature
	}
	for i, secret := range in.secrets {
		wantUser, wantPass, _ := strings.Cut(secret, ":")
		// Both compared every time: no early exit on a wrong username.
		u, p := equalSecret(user, wantUser), equalSecret(pass, wantPass)
		if u && p {
			return i, nil
		}
	}
	return -1, ErrInvalidSignature
}

func (basicAuth) checkSecret(secret string) error {
	if user, _, ok := strings.Cut(secret, ":"); !ok || user == "" {
		return fmt.Errorf("%w: write it as username:password", ErrInvalidSecret)
	}
	return nil
}

// authScheme returns the credentials of an Authorization value using scheme
// (matched case-insensitively).
func authScheme(v, scheme string) (string, bool) {
	name, cred, ok := strings.Cut(strings.TrimSpace(v), " ")
	if !ok || !strings.EqualFold(name, scheme) {
		return "", false
	}
	cred = strings.TrimSpace(cred)
	return cred, cred != ""
}

// equalSecret compares in constant time, the length included, by comparing
// digests: subtle.ConstantTimeCompare alone returns early on a length
// mismatch and so leaks the secret's length.
func equalSecret(a, b string) bool {
	x, y := sha256.Sum256([]byte(a)), sha256.Sum256([]byte(b))
	return subtle.ConstantTimeCompare(x[:], y[:]) == 1
}
