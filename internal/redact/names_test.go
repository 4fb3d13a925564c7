package redact_test

import (
	"strings"
	"testing"

	"github.com/wexio/webhooks/internal/redact"
)

func TestIsSecret(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]bool{
		"api_key": true, "X-Api-Key": true, "apikey": true, "auth": true, "pass": true, "pwd": true, "key": true,
		"access_token": true, "X-Hub-Signature-256": true, "Proxy-Authorization": true, "client_credentials": true,
		"author": false, "keyword": false, "passage": false, "page": false, "Content-Type": false, "X-Design": false,
	} {
		if got := redact.IsSecret(name, nil); got != want {
			t.Errorf("IsSecret(%q) = %v, want %v", name, got, want)
		}
	}
	// extra names a webhook's own signature header, in lower case.
	extra := map[string]bool{"x-custom-mac": true}
	if !redact.IsSecret("X-Custom-Mac", extra) || redact.IsSecret("X-Custom-Mac", nil) {
		t.Error("extra names are secret only when given")
	}
}

// TestIsSecretLowersAsToLower: names are lowered as strings.ToLower
// lowers them, byte by byte for ASCII (the common case, without a copy)
// and by strings.ToLower itself for any other.
func TestIsSecretLowersAsToLower(t *testing.T) {
	t.Parallel()
	extra := map[string]bool{"x-mine": true, "x-ünï": true}
	for n, want := range map[string]bool{"X-Mine": true, "X-MINE": true, "Authorization": true, "X-Hub-Signature-256": true,
		"Keyword": false, "KEY": true, "Content-Type": false, "X-ÜNÏ": true, "X-Ünï": true, "ÀPI_KEY": false, "X-Àpi-Token": true, "Tøken": false,
		strings.Repeat("A", 70) + "TOKEN": true, strings.Repeat("b", 80): false} {
		if got, lowered := redact.IsSecret(n, extra), redact.IsSecret(strings.ToLower(n), extra); got != want || lowered != want {
			t.Errorf("IsSecret(%q) = %v, of it lowered %v; want %v", n, got, lowered, want)
		}
	}
}
