package webhooks

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/db"
	"github.com/wexio/webhooks/internal/secretbox"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func setup(t *testing.T) (*Service, *ent.Client, context.Context, *clock) {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	a := auth.NewService(d.Read, d.Write)
	_, key, err := a.CreateWorkspace(ctx, "W")
	if err != nil {
		t.Fatal(err)
	}
	ctx, _ = a.Authenticate(ctx, key)
	box, _ := secretbox.New(bytes.Repeat([]byte{1}, secretbox.KeySize))
	clk := &clock{t: time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)}
	svc := NewService(Config{PublicURL: "https://h.example/", MaxRetries: 5, TimeoutSeconds: 15}, box, clk.now)
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
	clk.t = clk.t.Add(3600 * time.Second)
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
	if err := checkSigningSecret(*secret); err != nil {
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
