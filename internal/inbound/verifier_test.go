package inbound

import (
	"errors"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/verify"
)

// TestVerifierBuiltOncePerWebhook: the cache builds a webhook's verifier
// when it loads the webhook, and every request until the next change uses
// that one; a change to the webhook builds the next.
func TestVerifierBuiltOncePerWebhook(t *testing.T) {
	t.Parallel()
	e := setup(t, sharedSecret(verify.Config{Secrets: []string{"s3cret"}}))
	for i := range 5 {
		if status, code := e.send(t, http.MethodPost, "s3cret"); status != http.StatusAccepted {
			t.Fatalf("request %d: %d %s", i, status, code)
		}
	}
	if status, code := e.send(t, http.MethodPost, "wrong"); status != http.StatusUnauthorized || code != "invalid_signature" {
		t.Fatalf("wrong secret: %d %s", status, code)
	}
	if n := e.verifiers.calls.Load(); n != 1 {
		t.Fatalf("%d verifiers built for 6 requests, want 1", n)
	}
	e.c.Webhook.UpdateOne(e.hook).SetName("renamed").ExecX(e.ctx)
	if status, _ := e.send(t, http.MethodPost, "s3cret"); status != http.StatusAccepted {
		t.Fatalf("after a change: %d", status)
	}
	if n := e.verifiers.calls.Load(); n != 2 {
		t.Fatalf("%d verifiers built after a change, want 2", n)
	}
}

// TestCachedVerifierEndsTheGrace: the cached verifier stops accepting a
// rotated-out secret when its grace ends by the handler's clock, though no
// row changed and the cache entry lives on.
func TestCachedVerifierEndsTheGrace(t *testing.T) {
	t.Parallel()
	graceEnds := t0.Add(time.Hour)
	e := setup(t, sharedSecret(verify.Config{Secrets: []string{"new"},
		Expiring: []verify.ExpiringSecret{{Secret: "old", Until: graceEnds}}}))
	steps := []struct {
		at     time.Time
		secret string
		status int
	}{
		{t0, "old", http.StatusAccepted},
		{t0, "new", http.StatusAccepted},
		{graceEnds.Add(-time.Second), "old", http.StatusAccepted},
		{graceEnds, "old", http.StatusUnauthorized},
		{graceEnds, "new", http.StatusAccepted},
	}
	for _, s := range steps {
		e.clk.Set(s.at)
		if status, code := e.send(t, http.MethodPost, s.secret); status != s.status {
			t.Fatalf("%s at %s: %d %s, want %d", s.secret, s.at.Format(time.TimeOnly), status, code, s.status)
		}
	}
	if n := e.verifiers.calls.Load(); n != 1 {
		t.Fatalf("%d verifiers built, want 1: the grace must end without a reload", n)
	}
}

// TestWebhookWithoutVerifier: a webhook whose credentials cannot be opened
// answers 500 (nothing the sender can fix) and one whose settings name no
// scheme answers what Verify would, 401 auth_misconfigured; both only where
// the contract's order reaches authentication (a paused webhook still says
// so), and every request leaves its log row.
func TestWebhookWithoutVerifier(t *testing.T) {
	t.Parallel()
	sealed := func(*ent.Webhook) (*verify.Verifier, error) {
		return nil, errors.New("opening secret of wh_x: message authentication failed")
	}
	unknown := func(*ent.Webhook) (*verify.Verifier, error) {
		return verify.New(verify.Config{Mode: verify.Preset, Preset: "no-such-provider", Secrets: []string{"s"}})
	}
	type step struct {
		method, secret string
		status         int
		code           string
	}
	cases := []struct {
		name  string
		build func(*ent.Webhook) (*verify.Verifier, error)
		steps []step
	}{
		{"credentials cannot be opened", sealed, []step{
			{http.MethodPost, "s", http.StatusInternalServerError, "internal_error"},
			{http.MethodGet, "", http.StatusInternalServerError, "internal_error"},
		}},
		{"settings name no scheme", unknown, []step{
			{http.MethodPost, "s", http.StatusUnauthorized, "auth_misconfigured"},
			{http.MethodGet, "", http.StatusMethodNotAllowed, "method_not_allowed"},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t, c.build)
			var want []int
			for _, s := range c.steps {
				if status, code := e.send(t, s.method, s.secret); status != s.status || code != s.code {
					t.Fatalf("%s: %d %s, want %d %s", s.method, status, code, s.status, s.code)
				}
				want = append(want, s.status)
			}
			e.c.Webhook.UpdateOne(e.hook).SetStatus(schematype.WebhookPaused).ExecX(e.ctx)
			if status, code := e.send(t, http.MethodPost, "s"); status != http.StatusServiceUnavailable {
				t.Fatalf("paused: %d %s", status, code)
			}
			want = append(want, http.StatusServiceUnavailable)
			slices.Sort(want)
			if got := e.logged(t); !slices.Equal(got, want) {
				t.Fatalf("log rows %v, want %v", got, want)
			}
		})
	}
}
