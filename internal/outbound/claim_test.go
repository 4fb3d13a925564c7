package outbound_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/delivery"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/outbound"
)

// TestClaimReturnsTheRowsAsStored: the rows a claim hands out are those
// its own read of the due rows found (sharing.dueRows), with the lease it
// then wrote, not read again after it. Each must be what the table holds
// once the claim committed, field by field (those an attempt reads), with
// its webhook and event, whatever its counters and flags say.
func TestClaimReturnsTheRowsAsStored(t *testing.T) {
	t.Parallel()
	e := setup(t)
	rcv := newReceiver(t, nil)
	e.hook(t, rcv.URL, nil, 5)
	e.hook(t, rcv.URL, nil, 5)
	var ids []pulid.ID
	for range 3 {
		for _, d := range e.emit(t).Deliveries {
			ids = append(ids, d.ID)
		}
	}
	ctx := auth.System(context.Background())
	// Counters and flags of every kind, each on some rows only.
	for i, id := range ids {
		u := e.db.Write.Delivery.UpdateOneID(id).SetAttempts(i % 3).SetProbes(i % 2).SetManual(i%4 == 1).SetProbe(i%5 == 2)
		if err := u.Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
	var fromClaim atomic.Int64
	claimer := outbound.NewClaimerHooked(e.db.Claimer(outbound.Deliveries), e.db.Read, e.db.Dialect,
		func(n int) { fromClaim.Add(int64(n)) })
	got, err := claimer.Claim(ctx, e.clk.now(), 100, 10*time.Minute)
	if err != nil || len(got) != len(ids) {
		t.Fatalf("claim: %v, %d rows of %d", err, len(got), len(ids))
	}
	if n := fromClaim.Load(); n != int64(len(ids)) {
		t.Fatalf("%d rows of %d taken from the claim's own read; the others were read again", n, len(ids))
	}
	for _, dl := range got {
		want, err := e.db.Read.Delivery.Query().Where(delivery.ID(dl.ID)).WithWebhook().WithEvent().Only(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if dl.ClaimToken == nil || dl.ClaimedUntil == nil || !dl.ClaimedUntil.Equal(*want.ClaimedUntil) {
			t.Fatalf("delivery %s: lease %v until %v, stored until %v", dl.ID, dl.ClaimToken, dl.ClaimedUntil, want.ClaimedUntil)
		}
		type fields struct {
			ID, WorkspaceID, EventID, WebhookID pulid.ID
			Status                              string
			Attempts, Probes                    int
			Probe, Manual                       bool
			Token                               string
			Webhook, Event                      pulid.ID
			EventType                           string
			EventData                           string
		}
		of := func(d *ent.Delivery) fields {
			return fields{d.ID, d.WorkspaceID, d.EventID, d.WebhookID, string(d.Status), d.Attempts, d.Probes, d.Probe, d.Manual,
				*d.ClaimToken, d.Edges.Webhook.ID, d.Edges.Event.ID, d.Edges.Event.Type, string(d.Edges.Event.Data)}
		}
		if diff := cmp.Diff(of(want), of(dl)); diff != "" {
			t.Fatalf("claimed delivery differs from the stored one (-stored +claimed):\n%s", diff)
		}
		if !dl.Edges.Event.OccurredAt.Equal(want.Edges.Event.OccurredAt) {
			t.Fatalf("event time %v, stored %v", dl.Edges.Event.OccurredAt, want.Edges.Event.OccurredAt)
		}
	}
}

// TestWebhookDeletedAfterTheClaimGetsNoAttempt: a webhook deleted between
// a claim's commit and its load takes its deliveries along (contract:
// deleting a webhook deletes its history and deliveries); the claim's own
// read still holds them, and the load must hand none of them out.
func TestWebhookDeletedAfterTheClaimGetsNoAttempt(t *testing.T) {
	t.Parallel()
	e := setup(t)
	rcv := newReceiver(t, nil)
	gone := e.hook(t, rcv.URL, nil, 5)
	kept := e.hook(t, rcv.URL, nil, 5)
	e.emit(t)
	ctx := auth.System(context.Background())
	var fromClaim int
	claimer := outbound.NewClaimerHooked(e.db.Claimer(outbound.Deliveries), e.db.Read, e.db.Dialect, func(n int) {
		fromClaim = n
		if err := e.svc.Delete(e.ctx, e.db.Write, gone.ID); err != nil {
			t.Error(err)
		}
	})
	got, err := claimer.Claim(ctx, e.clk.now(), 100, 10*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if fromClaim != 2 {
		t.Fatalf("%d of the 2 claimed rows from the claim's own read", fromClaim)
	}
	if len(got) != 1 || got[0].WebhookID != kept.ID || got[0].Edges.Webhook == nil || got[0].Edges.Event == nil {
		t.Fatalf("claim handed out %d deliveries (%+v), want the kept webhook's one", len(got), got)
	}
}
