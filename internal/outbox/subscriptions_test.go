package outbox_test

import (
	"context"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/db/dbtest"
	"github.com/wexio/webhooks/internal/outbox"
	"github.com/wexio/webhooks/internal/tenant"
)

// TestSubscriptionsStayExact: the cache answers repeated emits without the
// writer reading webhooks, follows every hooked webhook change once it
// commits, and never hides a webhook from the transaction that creates it
// nor shows one a rolled-back transaction created.
func TestSubscriptionsStayExact(t *testing.T) {
	d := open(t)
	subs := outbox.NewSubscriptions(d.Read, time.Hour)
	d.Write.Webhook.Use(subs.Hook())
	a := dbtest.Workspace(t, d.Write, "A")
	ctx := outbox.WithSubscriptions(a, subs)
	first := hook(t, d.Write, a, "*")
	emit := func(ctx context.Context, what string, want ...string) {
		t.Helper()
		em, err := outbox.Emit(outbox.WithMatcher(ctx), d.Write, "contact.created", nil, t0)
		if err != nil {
			t.Fatal(err)
		}
		if got := targets(em); len(got) != len(want) || len(got) > 0 && got[len(got)-1] != want[len(want)-1] {
			t.Fatalf("%s: delivered to %v, want %v", what, got, want)
		}
	}
	emit(ctx, "first", string(first.ID))
	// A webhook written behind the hook's back (the read client has none,
	// as another process would) is not seen while the entry is fresh: the
	// answer comes from the cache.
	hidden := hook(t, d.Read, a, "*")
	emit(ctx, "cached", string(first.ID))
	// Any hooked change invalidates; the next load sees both.
	d.Write.Webhook.UpdateOne(first).SetName("renamed").ExecX(a)
	emit(ctx, "after a change", string(first.ID), string(hidden.ID))

	tx, err := d.Write.Tx(a)
	if err != nil {
		t.Fatal(err)
	}
	mine := hook(t, tx.Client(), a, "*")
	em, err := outbox.Emit(outbox.WithMatcher(ctx), tx.Client(), "contact.created", nil, t0)
	if err != nil || len(em.Deliveries) != 3 {
		t.Fatalf("the creating transaction: %v, %v", err, targets(em))
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	emit(ctx, "after the rollback", string(first.ID), string(hidden.ID))
	if _, err := d.Read.Webhook.Get(a, mine.ID); err == nil {
		t.Fatal("the rolled-back webhook exists")
	}
	// Paused webhooks get (held) deliveries; disabled ones none.
	d.Write.Webhook.UpdateOne(hidden).SetStatus(schematype.WebhookDisabled).ExecX(a)
	emit(ctx, "after disabling one", string(first.ID))
}

// TestSubscriptionsWebhook answers the dispatcher, which asks with a
// system context (no tenant filter): a webhook is found only in its own
// workspace, as it is after each committed change, and only while it gets
// deliveries.
func TestSubscriptionsWebhook(t *testing.T) {
	d := open(t)
	subs := outbox.NewSubscriptions(d.Read, time.Hour)
	d.Write.Webhook.Use(subs.Hook())
	a, b := dbtest.Workspace(t, d.Write, "A"), dbtest.Workspace(t, d.Write, "B")
	hb := hook(t, d.Write, b, "*")
	sys := auth.System(context.Background())
	wsA, _ := tenant.Workspace(a)
	wsB, _ := tenant.Workspace(b)
	check := func(what, ws string, wantURL string, wantStatus schematype.WebhookStatus) {
		t.Helper()
		w, ok := subs.Webhook(sys, ws, hb.ID)
		switch {
		case !ok:
			t.Fatalf("%s: the cache could not answer", what)
		case wantURL == "" && w != nil:
			t.Fatalf("%s: got webhook %+v, want none", what, w)
		case wantURL != "" && (w == nil || w.URL != wantURL || w.Status != wantStatus):
			t.Fatalf("%s: got %+v, want URL %s, %s", what, w, wantURL, wantStatus)
		}
	}
	check("in its workspace", wsB, hb.URL, schematype.WebhookActive)
	check("asked for another workspace", wsA, "", "")
	d.Write.Webhook.UpdateOne(hb).SetURL("https://example.com/moved").ExecX(b)
	check("moved", wsB, "https://example.com/moved", schematype.WebhookActive)
	d.Write.Webhook.UpdateOne(hb).SetStatus(schematype.WebhookPaused).ExecX(b)
	check("paused", wsB, "https://example.com/moved", schematype.WebhookPaused)
	d.Write.Webhook.UpdateOne(hb).SetStatus(schematype.WebhookDisabled).ExecX(b)
	check("disabled", wsB, "", "")
}
