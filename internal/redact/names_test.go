package redact_test

import (
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
