package webhooks

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/verify"
)

func sharedSecret(secret string) verify.Request {
	return verify.Request{Method: http.MethodPost, Header: http.Header{"X-Webhook-Secret": {secret}}}
}

// TestVerifierKeepsTheRotationGrace: a verifier built once during a
// rotation's grace accepts the previous secret until the grace ends, judged
// by each request's time and not by when it was built, so a cached one
// stops on time; one built after the grace never opens the previous secret.
func TestVerifierKeepsTheRotationGrace(t *testing.T) {
	t.Parallel()
	svc, c, ctx, _ := setup(t)
	w, first, err := svc.CreateInbound(ctx, c, CreateInboundInput{Name: "in"})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	w, second, err := svc.Rotate(ctx, c, w.ID, 3600, nil)
	if err != nil {
		t.Fatalf("rotate: %v", err)
	}
	built := svc.now()
	v, err := svc.Verifier(w)
	if err != nil {
		t.Fatalf("Verifier: %v", err)
	}
	graceEnds := built.Add(3600 * time.Second)
	for _, c := range []struct {
		what, secret string
		at           time.Time
		want         error
	}{
		{"previous, during the grace", *first, graceEnds.Add(-time.Second), nil},
		{"previous, as the grace ends", *first, graceEnds, verify.ErrInvalidSignature},
		{"previous, a day later", *first, graceEnds.Add(24 * time.Hour), verify.ErrInvalidSignature},
		{"current, during the grace", *second, built, nil},
		{"current, a day later", *second, graceEnds.Add(24 * time.Hour), nil},
	} {
		if err := v.Verify(sharedSecret(c.secret), c.at); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.what, err, c.want)
		}
	}

	// After the grace the previous secret is not opened at all: a broken
	// one does not stop the webhook, and is not accepted.
	broken := *w
	junk := []byte("not sealed")
	broken.PreviousSecret = &junk
	after := &Service{cfg: svc.cfg, box: svc.box, now: func() time.Time { return graceEnds }}
	v, err = after.Verifier(&broken)
	if err != nil {
		t.Fatalf("Verifier after the grace: %v", err)
	}
	if err := v.Verify(sharedSecret(*first), built); !errors.Is(err, verify.ErrInvalidSignature) {
		t.Fatalf("previous secret after the grace: %v", err)
	}
	if _, err := svc.Verifier(&broken); err == nil || errors.Is(err, verify.ErrMisconfigured) {
		t.Fatalf("a broken previous secret during the grace: %v, want an opening error", err)
	}
}

// TestVerifierCredentials: the verify token is opened for Meta's handshake;
// credentials that cannot be opened are an error that is not
// verify.ErrMisconfigured (nothing in the settings is wrong), and settings
// verify cannot run are.
func TestVerifierCredentials(t *testing.T) {
	t.Parallel()
	svc, c, ctx, _ := setup(t)
	preset, secret, token := "whatsapp", "app-secret", "my-verify-token"
	w, _, err := svc.CreateInbound(ctx, c, CreateInboundInput{Name: "wa", Auth: &InboundAuthInput{
		Mode: schematype.AuthModePreset, Preset: &preset, Secret: &secret, VerifyToken: &token,
	}})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	v, err := svc.Verifier(w)
	if err != nil {
		t.Fatalf("Verifier: %v", err)
	}
	get := verify.Request{Method: http.MethodGet, Header: http.Header{},
		URL: "https://h.example/in/tok?hub.mode=subscribe&hub.verify_token=" + token + "&hub.challenge=1158201444"}
	resp, ok, err := v.Handshake(get, svc.now())
	if !ok || err != nil || string(resp.Body) != "1158201444" {
		t.Fatalf("Meta handshake: %v %v %v", resp, ok, err)
	}

	for name, edit := range map[string]func(w *ent.Webhook){
		"secret":       func(w *ent.Webhook) { w.Secret = []byte("not sealed") },
		"verify token": func(w *ent.Webhook) { junk := []byte("not sealed"); w.VerifyToken = &junk },
	} {
		broken := *w
		edit(&broken)
		if _, err := svc.Verifier(&broken); err == nil || errors.Is(err, verify.ErrMisconfigured) {
			t.Errorf("a %s that cannot be opened: %v, want an opening error", name, err)
		}
	}

	unknown := *w
	unknown.AuthPreset = "no-such-provider"
	if _, err := svc.Verifier(&unknown); !errors.Is(err, verify.ErrMisconfigured) || !errors.Is(err, verify.ErrUnknownPreset) {
		t.Fatalf("an unknown preset: %v, want verify.ErrMisconfigured", err)
	}
}
