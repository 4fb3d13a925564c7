package app

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/config"
	"github.com/wexio/webhooks/internal/db/dbtest"
	"github.com/wexio/webhooks/internal/db/sqlite"
	"github.com/wexio/webhooks/internal/store"
	"github.com/wexio/webhooks/internal/tenant"
)

// TestStartReleasesLeasesOfADeadProcess: a server killed with deliveries
// claimed leaves their leases behind; the next server on the file holds
// the worker lock, so it knows their owner is gone and delivers them at
// once instead of 10 minutes later.
func TestStartReleasesLeasesOfADeadProcess(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, func(int) int { return 200 })
	path := filepath.Join(t.TempDir(), "wexio.db")
	d, err := sqlite.Open(context.Background(), path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := dbtest.Workspace(t, d.Write, "Dead")
	now := time.Now()
	wh := d.Write.Webhook.Create().SetName("out").SetDirection(schematype.DirectionOutbound).
		SetURL(rc.URL).SetEvents([]string{"*"}).SetOutboundAuth(schematype.OutboundNone).SaveX(ctx)
	ev := d.Write.Event.Create().SetType("contact.created").SetOccurredAt(now).SetData([]byte(`{"id":"ct_1"}`)).SaveX(ctx)
	// What the dead server left: a claimed delivery never attempted.
	d.Write.Delivery.Create().SetEventID(ev.ID).SetWebhookID(wh.ID).
		SetNextAttemptAt(now).SetClaimedUntil(now.Add(10 * time.Minute)).SaveX(ctx)
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	newTestAppWith(t, func(c *config.Config) {
		c.AllowPrivateNetworks = true
		c.DatabaseURL = "sqlite://" + path
	})
	if got := rc.wait(t, 1)[0]; got.header.Get("Webhook-Id") != string(ev.ID) {
		t.Fatalf("delivered %s, want %s", got.header.Get("Webhook-Id"), ev.ID)
	}
}

// TestStartBesideARunningServerKeepsItsLeases: a server starting while
// another runs on the same file cannot tell the other's leases from a dead
// server's: it releases none, and its retryDelivery leaves a lease it does
// not hold.
func TestStartBesideARunningServerKeepsItsLeases(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, func(int) int { return 200 })
	path := filepath.Join(t.TempDir(), "wexio.db")
	var key []byte
	// Both servers on the file share its secret key, as they must.
	useFile := func(c *config.Config) {
		c.AllowPrivateNetworks = true
		c.DatabaseURL = "sqlite://" + path
		if key == nil {
			key = c.SecretKey
		}
		c.SecretKey = key
	}
	first := newTestAppWith(t, useFile)
	ctx := auth.System(context.Background())
	wsID := first.db.Read.Workspace.Query().FirstIDX(ctx)
	wctx := tenant.WithWorkspace(context.Background(), string(wsID))
	// Paused, so that no dispatcher claims the delivery again once a lease
	// is dropped: what is checked is the lease alone.
	wh := first.db.Write.Webhook.Create().SetName("out").SetDirection(schematype.DirectionOutbound).
		SetStatus(schematype.WebhookPaused).SetURL(rc.URL).SetEvents([]string{"*"}).
		SetOutboundAuth(schematype.OutboundNone).SaveX(wctx)
	now := time.Now()
	ev := first.db.Write.Event.Create().SetType("contact.created").SetOccurredAt(now).SetData([]byte(`{}`)).SaveX(wctx)
	// A delivery the first server is working on, as far as the file says.
	dl := first.db.Write.Delivery.Create().SetEventID(ev.ID).SetWebhookID(wh.ID).
		SetNextAttemptAt(now).SetClaimedUntil(now.Add(10 * time.Minute)).SaveX(wctx)
	second := newTestAppWith(t, useFile)
	if got := second.db.Read.Delivery.GetX(ctx, dl.ID); got.ClaimedUntil == nil {
		t.Fatal("a server starting beside a running one released its lease")
	}
	second.ok(t, first.key, `mutation($id: ID!) { retryDelivery(id: $id) { id } }`, map[string]any{"id": dl.ID})
	if got := second.db.Read.Delivery.GetX(ctx, dl.ID); got.ClaimedUntil == nil {
		t.Fatal("retryDelivery on the second server dropped a lease it does not hold")
	}
}
