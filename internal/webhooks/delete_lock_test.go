package webhooks

import (
	"testing"
	"time"

	"github.com/wexio/webhooks/ent/delivery"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/db/dbtest"
)

// TestDeleteBesideAClaimDoesNotDeadlock: a claim on PostgreSQL locks due
// deliveries, then their webhooks (outbound's fair share, in that order).
// Deleting a webhook locked its row and then, deleting in cascade, its
// deliveries: the opposite order, and with a claim between the two locks
// PostgreSQL ended one of them as a deadlock after a second. Delete now
// takes the deliveries first, waiting for the claim, which finishes.
func TestDeleteBesideAClaimDoesNotDeadlock(t *testing.T) {
	if !dbtest.Postgres() {
		t.Skip("PostgreSQL only (row locks): runs in the PostgreSQL half")
	}
	t.Parallel()
	svc, c, ctx, clk := setup(t)
	w, _, err := svc.CreateOutbound(ctx, c, CreateOutboundInput{Name: "out", URL: "https://example.com/h", Events: []string{"*"}})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		ev := c.Event.Create().SetType("contact.created").SetOccurredAt(clk.Now()).SetData([]byte(`{}`)).SaveX(ctx)
		c.Delivery.Create().SetEventID(ev.ID).SetWebhookID(w.ID).SetStatus(schematype.DeliveryPending).
			SetNextAttemptAt(clk.Now()).ExecX(ctx)
	}
	claim, err := c.Tx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = claim.Rollback() }()
	// The claim's first lock: the due deliveries.
	rows, err := claim.QueryContext(ctx, `SELECT id FROM deliveries WHERE webhook_id = $1 FOR UPDATE SKIP LOCKED`, string(w.ID))
	if err != nil {
		t.Fatal(err)
	}
	locked := 0
	for rows.Next() {
		locked++
	}
	if rows.Close(); locked != 3 {
		t.Fatalf("the claim locked %d deliveries, want 3", locked)
	}
	deleted := make(chan error, 1)
	go func() {
		tx, err := c.Tx(ctx)
		if err == nil {
			if err = svc.Delete(ctx, tx.Client(), w.ID); err == nil {
				err = tx.Commit()
			} else {
				_ = tx.Rollback()
			}
		}
		deleted <- err
	}()
	time.Sleep(300 * time.Millisecond) // the delete waits for a lock by now
	// The claim's second lock: the webhook, as its fair share is counted.
	if _, err := claim.ExecContext(ctx, `SELECT id FROM webhooks WHERE id = $1 FOR UPDATE`, string(w.ID)); err != nil {
		t.Fatalf("the claim locking the webhook: %v", err)
	}
	if err := claim.Commit(); err != nil {
		t.Fatalf("the claim's commit: %v", err)
	}
	select {
	case err := <-deleted:
		if err != nil {
			t.Fatalf("the delete: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the delete still waits")
	}
	if n := c.Delivery.Query().CountX(ctx); n != 0 {
		t.Fatalf("%d deliveries left", n)
	}
}

// TestDeleteTakesItsDeliveries: a deleted webhook's deliveries go with it,
// and another webhook's stay.
func TestDeleteTakesItsDeliveries(t *testing.T) {
	t.Parallel()
	svc, c, ctx, clk := setup(t)
	var hooks [2]pulid.ID
	for i := range hooks {
		w, _, err := svc.CreateOutbound(ctx, c, CreateOutboundInput{Name: "out", URL: "https://example.com/h", Events: []string{"*"}})
		if err != nil {
			t.Fatal(err)
		}
		hooks[i] = w.ID
		for range 2 {
			ev := c.Event.Create().SetType("contact.created").SetOccurredAt(clk.Now()).SetData([]byte(`{}`)).SaveX(ctx)
			c.Delivery.Create().SetEventID(ev.ID).SetWebhookID(w.ID).SetNextAttemptAt(clk.Now()).ExecX(ctx)
		}
	}
	if err := svc.Delete(ctx, c, hooks[0]); err != nil {
		t.Fatal(err)
	}
	for i, want := range []int{0, 2} {
		if n := c.Delivery.Query().Where(delivery.WebhookID(hooks[i])).CountX(ctx); n != want {
			t.Fatalf("webhook %d has %d deliveries after the first was deleted, want %d", i, n, want)
		}
	}
}
