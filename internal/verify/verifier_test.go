package verify

import (
	"net/http"
	"sync"
	"testing"
	"time"
)

// mustNew is New for configs a test expects to resolve.
func mustNew(t testing.TB, cfg Config) *Verifier {
	t.Helper()
	v, err := New(cfg)
	if err != nil {
		t.Fatalf("New(%s %q): %v", cfg.Mode, cfg.Preset, err)
	}
	return v
}

// TestExpiringSecret: a verifier built once accepts a rotated-out secret
// until its deadline, judged by each request's time, and the current one
// throughout; concurrent requests on either side of the deadline do not
// disturb each other (run with -race).
func TestExpiringSecret(t *testing.T) {
	t.Parallel()
	until := timeOf(1_700_000_000)
	v := mustNew(t, Config{Mode: SharedSecret, Secrets: []string{"new"},
		Expiring: []ExpiringSecret{{Secret: "old", Until: until}, {Secret: "", Until: until}}})
	sent := func(secret string) Request {
		return Request{Method: http.MethodPost, Header: http.Header{"X-Webhook-Secret": {secret}}}
	}
	cases := []struct {
		secret string
		at     time.Time
		want   error
	}{
		{"old", until.Add(-time.Nanosecond), nil},
		{"old", until, ErrInvalidSignature},
		{"old", until.Add(time.Hour), ErrInvalidSignature},
		{"new", until.Add(-time.Hour), nil},
		{"new", until.Add(time.Hour), nil},
		{"", until.Add(-time.Hour), ErrMissingSignature},
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for _, c := range cases {
				expect(t, c.secret+" at "+c.at.UTC().Format(time.RFC3339Nano), v.Verify(sent(c.secret), c.at), c.want)
			}
		})
	}
	wg.Wait()
	if len(v.secrets) != 1 || len(v.expiring) != 1 {
		t.Fatalf("the verifier changed or kept an empty secret: %q, %v", v.secrets, v.expiring)
	}
}

func TestSignatureHeader(t *testing.T) {
	t.Parallel()
	generic := Config{Mode: GenericHMAC, Secrets: []string{"x"},
		HMAC: &HMACParams{Header: "X-Custom-Mac", Algorithm: "SHA256", Encoding: "HEX", SignedPayload: "{body}"}}
	if h := mustNew(t, generic).SignatureHeader(); h != "X-Custom-Mac" {
		t.Fatalf("generic: %q", h)
	}
	if h := mustNew(t, Config{Mode: Stripe, Secrets: []string{"x"}}).SignatureHeader(); h != "" {
		t.Fatalf("stripe: %q", h)
	}
}
