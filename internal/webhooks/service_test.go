package webhooks

import (
	"bytes"
	"context"
	"encoding/base64"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/apperr"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/db/dbtest"
	"github.com/wexio/webhooks/internal/secretbox"
	"github.com/wexio/webhooks/internal/signing"
	"github.com/wexio/webhooks/internal/testkit"
)

func setup(t *testing.T) (*Service, *ent.Client, context.Context, *testkit.Clock) {
	t.Helper()
	ctx := context.Background()
	d := dbtest.Open(t)
	a := auth.NewService(d.Read, d.Write)
	_, key, err := a.CreateWorkspace(ctx, "W")
	if err != nil {
		t.Fatal(err)
	}
	ctx, _ = a.Authenticate(ctx, key)
	box, _ := secretbox.New(bytes.Repeat([]byte{1}, secretbox.KeySize))
	clk := testkit.NewClock(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC))
	svc := NewService(Config{PublicURL: "https://h.example/", MaxRetries: 5, TimeoutSeconds: 15}, box, clk.Now)
	return svc, d.Write, ctx, clk
}

func TestRotationKeepsThePreviousSecretForTheGracePeriod(t *testing.T) {
	t.Parallel()
	svc, c, ctx, clk := setup(t)
	w, first, err := svc.CreateInbound(ctx, c, CreateInboundInput{Name: "in"})
	if err != nil || first == nil {
		t.Fatalf("create: %v", err)
	}
	if got := svc.InboundURL(w); got != "https://h.example/in/"+*w.Token {
		t.Fatalf("InboundURL = %q", got)
	}
	w, second, err := svc.Rotate(ctx, c, w.ID, 3600, nil)
	if err != nil || second == nil || *second == *first {
		t.Fatalf("rotate: %v", err)
	}
	secrets, _ := svc.Secrets(w)
	if len(secrets) != 2 || secrets[0] != *second || secrets[1] != *first {
		t.Fatalf("during grace: %q", secrets)
	}
	clk.Advance(3600 * time.Second)
	secrets, _ = svc.Secrets(w)
	if len(secrets) != 1 || secrets[0] != *second {
		t.Fatalf("after grace: %q", secrets)
	}
	// A rotation without grace drops the previous secret at once.
	w, third, _ := svc.Rotate(ctx, c, w.ID, 0, nil)
	if secrets, _ = svc.Secrets(w); len(secrets) != 1 || secrets[0] != *third {
		t.Fatalf("no grace: %q", secrets)
	}
}

func TestOutboundRotationAndResume(t *testing.T) {
	t.Parallel()
	svc, c, ctx, _ := setup(t)
	w, secret, err := svc.CreateOutbound(ctx, c, CreateOutboundInput{Name: "o", URL: "https://example.com/h", Events: []string{"*"}})
	if err != nil || secret == nil {
		t.Fatalf("create: %v", err)
	}
	if err := signing.CheckSecret(*secret); err != nil {
		t.Fatalf("generated secret %q: %v", *secret, err)
	}
	w, next, err := svc.Rotate(ctx, c, w.ID, 60, nil)
	if err != nil || next == nil {
		t.Fatalf("rotate: %v", err)
	}
	if s, _ := svc.Secrets(w); len(s) != 2 || s[0] != *next || s[1] != *secret {
		t.Fatalf("secrets = %q", s)
	}
	if w, err = svc.SetStatus(ctx, c, w.ID, schematype.WebhookPaused); err != nil || w.Status != schematype.WebhookPaused {
		t.Fatalf("pause: %v", err)
	}
}

// TestUpdateToHMACWithoutSecret: updateWebhook returns no secret, so it
// never generates one: a webhook told its own mode again without
// credentials keeps them, and one switching to HMAC must be given its
// secret.
func TestUpdateToHMACWithoutSecret(t *testing.T) {
	t.Parallel()
	svc, c, ctx, _ := setup(t)
	w, secret, err := svc.CreateOutbound(ctx, c, CreateOutboundInput{Name: "o", URL: "https://example.com/h", Events: []string{"*"}})
	if err != nil {
		t.Fatal(err)
	}
	w, next, err := svc.Rotate(ctx, c, w.ID, 60, nil)
	if err != nil {
		t.Fatal(err)
	}
	hmacOnly := UpdateInput{OutboundAuth: &OutboundAuthInput{Mode: schematype.OutboundHMAC}}
	if w, err = svc.Update(ctx, c, w.ID, hmacOnly); err != nil {
		t.Fatalf("HMAC again: %v", err)
	}
	if s, _ := svc.Secrets(w); len(s) != 2 || s[0] != *next || s[1] != *secret {
		t.Fatalf("secrets after HMAC again = %d, want the current and previous ones kept", len(s))
	}
	tok := "tok_1"
	if _, err = svc.Update(ctx, c, w.ID, UpdateInput{OutboundAuth: &OutboundAuthInput{Mode: schematype.OutboundBearer, Token: &tok}}); err != nil {
		t.Fatal(err)
	}
	// Still BEARER, no token given: the token stays.
	if w, err = svc.Update(ctx, c, w.ID, UpdateInput{OutboundAuth: &OutboundAuthInput{Mode: schematype.OutboundBearer}}); err != nil {
		t.Fatalf("BEARER again: %v", err)
	}
	if s, _ := svc.Secrets(w); len(s) != 1 || s[0] != tok {
		t.Fatalf("token after BEARER again: %d secrets, want the token kept", len(s))
	}
	if _, err = svc.Update(ctx, c, w.ID, hmacOnly); apperr.KindOf(err) != apperr.KindInvalid {
		t.Fatalf("switching to HMAC without a secret: %v, want BAD_USER_INPUT", err)
	}
	given := "whsec_" + base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))
	if w, err = svc.Update(ctx, c, w.ID, UpdateInput{OutboundAuth: &OutboundAuthInput{Mode: schematype.OutboundHMAC, Secret: &given}}); err != nil {
		t.Fatalf("switching to HMAC with a secret: %v", err)
	}
	if s, _ := svc.Secrets(w); len(s) != 1 || s[0] != given || w.OutboundAuth != schematype.OutboundHMAC {
		t.Fatalf("after switching: %s with %d secrets", w.OutboundAuth, len(s))
	}
}

// TestPresetsTakeTheirProvidersReplayWindow: a preset created without
// toleranceSeconds gets the window its provider documents; a native mode
// (and a preset that is one) keeps the default; a given value wins.
func TestPresetsTakeTheirProvidersReplayWindow(t *testing.T) {
	t.Parallel()
	svc, c, ctx, _ := setup(t)
	sixty := 60
	for _, tc := range []struct {
		mode   schematype.InboundAuthMode
		preset string
		given  *int
		want   int
	}{
		{schematype.AuthModePreset, "twitch", nil, 600},
		{schematype.AuthModePreset, "linear", nil, 60},
		{schematype.AuthModePreset, "calendly", nil, 180},
		{schematype.AuthModePreset, "github", nil, DefaultToleranceSeconds}, // no timestamp in its scheme
		{schematype.AuthModePreset, "paddle", nil, DefaultToleranceSeconds}, // the PADDLE mode's default
		{schematype.AuthModePreset, "twitch", &sixty, 60},
		{schematype.AuthStripe, "", nil, DefaultToleranceSeconds},
	} {
		secret := "whsec_dGhpcyBpcyBhIHRlc3Qgc2VjcmV0IG9mIDMyIGJ5dGVzIQ=="
		in := &InboundAuthInput{Mode: tc.mode, Secret: &secret, ToleranceSeconds: tc.given}
		if tc.preset != "" {
			in.Preset = &tc.preset
		}
		w, _, err := svc.CreateInbound(ctx, c, CreateInboundInput{Name: "in", Auth: in})
		if err != nil {
			t.Fatalf("%s %s: %v", tc.mode, tc.preset, err)
		}
		if w.ToleranceSeconds != tc.want {
			t.Errorf("%s %s (given %v): toleranceSeconds %d, want %d", tc.mode, tc.preset, tc.given, w.ToleranceSeconds, tc.want)
		}
	}
}
