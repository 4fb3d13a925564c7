package redact_test

import (
	"testing"

	"github.com/wexio/webhooks/internal/redact"
)

func TestHarmless(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]bool{
		"Accept": true, "accept-language": true, "CONTENT-TYPE": true, "User-Agent": true, "Cache-Control": true,
		// Not secret by name, and still not harmless: anything may be a
		// credential under a name of its own.
		"X-Access-Key": false, "X-Team": false, "X-Tenant": false, "Accept-Token": false,
		"Authorization": false, "Webhook-Signature": false, "": false,
	} {
		if got := redact.Harmless(name); got != want {
			t.Errorf("Harmless(%q) = %v, want %v", name, got, want)
		}
	}
}
