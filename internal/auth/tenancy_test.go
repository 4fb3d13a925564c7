package auth_test

import (
	"context"
	"errors"
	"testing"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/privacy"
	"github.com/wexio/webhooks/ent/schema"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/ent/webhook"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/db/dbtest"
)

// Tenant isolation lives in the data layer: whatever code asks, a context
// scoped to one workspace reads and changes only that workspace's rows.
func TestDataLayerIsolatesWorkspaces(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := dbtest.Open(t)
	svc := auth.NewService(d.Read, d.Write)
	_, keyA, err := svc.CreateWorkspace(ctx, "A")
	if err != nil {
		t.Fatal(err)
	}
	_, keyB, _ := svc.CreateWorkspace(ctx, "B")
	ctxA, _ := svc.Authenticate(ctx, keyA)
	ctxB, _ := svc.Authenticate(ctx, keyB)
	c := d.Write

	w, err := c.Webhook.Create().SetName("a").SetDirection(schematype.DirectionInbound).Save(ctxA)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := c.Webhook.Query().Count(ctxB); n != 0 {
		t.Fatalf("B counts %d webhooks", n)
	}
	if _, err := c.Webhook.Get(ctxB, w.ID); !ent.IsNotFound(err) {
		t.Fatalf("B gets A's webhook: %v", err)
	}
	if err := c.Webhook.UpdateOneID(w.ID).SetName("x").Exec(ctxB); !ent.IsNotFound(err) {
		t.Fatalf("B updates A's webhook: %v", err)
	}
	if n, _ := c.Webhook.Update().Where(webhook.ID(w.ID)).SetName("x").Save(ctxB); n != 0 {
		t.Fatalf("B bulk-updates %d of A's webhooks", n)
	}
	if err := c.Webhook.DeleteOneID(w.ID).Exec(ctxB); !ent.IsNotFound(err) {
		t.Fatalf("B deletes A's webhook: %v", err)
	}
	if _, err := c.Webhook.Create().SetName("b").SetDirection(schematype.DirectionInbound).SetWorkspaceID(w.WorkspaceID).Save(ctxB); !errors.Is(err, schema.ErrForeignWorkspace) {
		t.Fatalf("B creates in A: %v", err)
	}
	// Without a workspace nothing is readable, unless system work opts out.
	if _, err := c.Webhook.Query().Count(ctx); !errors.Is(err, privacy.Deny) {
		t.Fatalf("unscoped query: %v, want a privacy denial", err)
	}
	if n, err := c.Webhook.Query().Count(auth.System(ctx)); err != nil || n != 1 {
		t.Fatalf("system count = %d, %v", n, err)
	}
	got, _ := c.Webhook.Get(ctxA, w.ID)
	if got == nil || got.Name != "a" {
		t.Fatalf("A's webhook changed: %+v", got)
	}
}
