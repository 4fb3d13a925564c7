package outbox_test

import (
	"context"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/db/dbtest"
	"github.com/wexio/webhooks/internal/outbox"
	"github.com/wexio/webhooks/internal/store"
	"github.com/wexio/webhooks/internal/tenant"
)

var t0 = time.Date(2026, 11, 26, 17, 0, 0, 0, time.UTC)

// open opens a new database of the backend under test.
func open(t *testing.T) *store.Store {
	t.Helper()
	return dbtest.Open(t)
}

func hook(t *testing.T, c *ent.Client, ctx context.Context, events ...string) *ent.Webhook {
	t.Helper()
	w, err := c.Webhook.Create().SetName("h").SetDirection(schematype.DirectionOutbound).
		SetURL("https://example.com/h").SetEvents(events).Save(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func targets(em *outbox.Emitted) []string {
	var out []string
	for _, d := range em.Deliveries {
		out = append(out, string(d.WebhookID))
	}
	return out
}

// TestMatcherMemo checks that a Matcher serves its workspace's webhooks,
// matched per event type, and never another workspace's.
func TestMatcherMemo(t *testing.T) {
	c := open(t).Write
	a, b := dbtest.Workspace(t, c, "A"), dbtest.Workspace(t, c, "B")
	ha := hook(t, c, a, "contact.*")
	hb := hook(t, c, b, "*")
	inB := func(ctx context.Context) context.Context { return tenant.WithWorkspace(ctx, string(hb.WorkspaceID)) }
	tx, err := c.Tx(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback() }()
	ctx := outbox.WithMatcher(a)
	for _, c := range []struct {
		ctx  context.Context
		typ  string
		want []string
	}{
		{ctx, "contact.created", []string{string(ha.ID)}},
		{ctx, "chat.opened", nil},
		{ctx, "contact.updated", []string{string(ha.ID)}},
		// The same memo under another workspace reads that workspace's.
		{inB(ctx), "chat.opened", []string{string(hb.ID)}},
		{inB(ctx), "contact.created", []string{string(hb.ID)}},
		{ctx, "contact.created", []string{string(ha.ID)}},
	} {
		em, err := outbox.Emit(c.ctx, tx.Client(), c.typ, map[string]any{"x": 1}, t0)
		if err != nil {
			t.Fatal(err)
		}
		if got := targets(em); len(got) != len(c.want) || len(got) == 1 && got[0] != c.want[0] {
			t.Fatalf("%s: delivered to %v, want %v", c.typ, got, c.want)
		}
		if ws, _ := tenant.Workspace(c.ctx); string(em.Event.WorkspaceID) != ws {
			t.Fatalf("%s: event in workspace %s, want %s", c.typ, em.Event.WorkspaceID, ws)
		}
	}
	// The memo is read once: a webhook created after it (which a job must
	// not do) is not seen by the same Matcher, and is by a fresh one.
	late := hook(t, tx.Client(), a, "*")
	if em, err := outbox.Emit(ctx, tx.Client(), "chat.opened", nil, t0); err != nil || len(em.Deliveries) != 0 {
		t.Fatalf("the memo was read again: %v, %v", err, targets(em))
	}
	em, err := outbox.Emit(outbox.WithMatcher(a), tx.Client(), "chat.opened", nil, t0)
	if got := targets(em); err != nil || len(got) != 1 || got[0] != string(late.ID) {
		t.Fatalf("a fresh matcher: %v, %v", err, got)
	}
}

// TestStatusDecidesDeliveries: an ACTIVE webhook's delivery is due at
// once, a PAUSED one's is held (no due time), a DISABLED one gets none.
// (Releasing held deliveries is tested in internal/deliveries.)
func TestStatusDecidesDeliveries(t *testing.T) {
	c := open(t).Write
	a := dbtest.Workspace(t, c, "A")
	byStatus := map[schematype.WebhookStatus]*ent.Webhook{}
	for _, st := range []schematype.WebhookStatus{schematype.WebhookActive, schematype.WebhookPaused, schematype.WebhookDisabled} {
		byStatus[st] = c.Webhook.UpdateOne(hook(t, c, a, "*")).SetStatus(st).SaveX(a)
	}
	em, err := outbox.Emit(a, c, "contact.created", nil, t0)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]*ent.Delivery{}
	for _, d := range em.Deliveries {
		got[string(d.WebhookID)] = c.Delivery.GetX(a, d.ID)
	}
	active, paused := got[string(byStatus[schematype.WebhookActive].ID)], got[string(byStatus[schematype.WebhookPaused].ID)]
	if len(got) != 2 || active == nil || paused == nil || !active.NextAttemptAt.Equal(t0) || paused.NextAttemptAt != nil {
		t.Fatalf("deliveries %+v", got)
	}
}

// TestEmitWithoutMatcher keeps reading the webhooks on every emit.
func TestEmitWithoutMatcher(t *testing.T) {
	c := open(t).Write
	a := dbtest.Workspace(t, c, "A")
	em, err := outbox.Emit(a, c, "contact.created", nil, t0)
	if err != nil || len(em.Deliveries) != 0 {
		t.Fatalf("no webhook: %v, %d deliveries", err, len(em.Deliveries))
	}
	h := hook(t, c, a, "*")
	em, err = outbox.Emit(a, c, "contact.created", nil, t0)
	if err != nil || len(em.Deliveries) != 1 || em.Deliveries[0].WebhookID != h.ID {
		t.Fatalf("after creating a webhook: %v, %+v", err, em.Deliveries)
	}
}
