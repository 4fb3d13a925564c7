package deliveries_test

import (
	"context"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/delivery"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/db/dbtest"
	"github.com/wexio/webhooks/internal/deliveries"
	"github.com/wexio/webhooks/internal/outbox"
)

// TestHoldThenRelease: holding takes the due time off a webhook's pending
// deliveries and touches nothing else; releasing makes the held ones due
// then, while a retry that an attempt in flight scheduled meanwhile keeps
// its own time.
func TestHoldThenRelease(t *testing.T) {
	t.Parallel()
	e := setup(t)
	w, other := e.hook(t, schematype.WebhookActive), e.hook(t, schematype.WebhookActive)
	due, retried, done := e.deliver(t, w), e.deliver(t, w), e.deliver(t, w)
	e.attempted(t, done.ID, schematype.DeliverySucceeded, time.Time{})
	elsewhere := e.deliver(t, other)
	if err := deliveries.Hold(e.ctx, e.c, w.ID); err != nil {
		t.Fatal(err)
	}
	for _, d := range []*ent.Delivery{due, retried} {
		if got := e.get(d.ID); got.Status != schematype.DeliveryPending || got.NextAttemptAt != nil {
			t.Fatalf("held delivery %+v, want PENDING without a due time", got)
		}
	}
	if got := e.get(elsewhere.ID); got.NextAttemptAt == nil || !got.NextAttemptAt.Equal(t0) {
		t.Fatalf("another webhook's delivery was held: %+v", got)
	}
	// The attempt under way when the webhook was paused is recorded after
	// the hold: a retry in half an hour.
	later := t0.Add(30 * time.Minute)
	e.attempted(t, retried.ID, schematype.DeliveryPending, later)
	now := t0.Add(time.Minute)
	if err := deliveries.Release(e.ctx, e.c, w.ID, now); err != nil {
		t.Fatal(err)
	}
	if got := e.get(due.ID); got.NextAttemptAt == nil || !got.NextAttemptAt.Equal(now) {
		t.Fatalf("released delivery due at %v, want %v", got.NextAttemptAt, now)
	}
	if got := e.get(retried.ID); !got.NextAttemptAt.Equal(later) {
		t.Fatalf("scheduled retry due at %v, want %v kept", got.NextAttemptAt, later)
	}
	if got := e.get(done.ID); got.Status != schematype.DeliverySucceeded || got.NextAttemptAt != nil {
		t.Fatalf("release touched a finished delivery: %+v", got)
	}
}

// TestReleaseReplaysNothing: a PAUSED webhook's deliveries are held and
// released; a DISABLED one got none, and releasing it when it is
// re-activated does not replay what it missed.
func TestReleaseReplaysNothing(t *testing.T) {
	t.Parallel()
	e := setup(t)
	paused, disabled := e.hook(t, schematype.WebhookPaused), e.hook(t, schematype.WebhookDisabled)
	em, err := outbox.Emit(e.ctx, e.c, "contact.created", nil, t0)
	if err != nil || len(em.Deliveries) != 1 || em.Deliveries[0].WebhookID != paused.ID {
		t.Fatalf("Emit = %v, %+v; want one delivery, to the paused webhook", err, em)
	}
	now := t0.Add(time.Minute)
	for _, w := range []*ent.Webhook{paused, disabled} {
		e.c.Webhook.UpdateOne(w).SetStatus(schematype.WebhookActive).ExecX(e.ctx)
		if err := deliveries.Release(e.ctx, e.c, w.ID, now); err != nil {
			t.Fatal(err)
		}
	}
	if got := e.get(em.Deliveries[0].ID); got.NextAttemptAt == nil || !got.NextAttemptAt.Equal(now) {
		t.Fatalf("released delivery due at %v, want %v", got.NextAttemptAt, now)
	}
	if n := e.c.Delivery.Query().Where(delivery.WebhookID(disabled.ID)).CountX(e.ctx); n != 0 {
		t.Fatalf("the re-activated webhook has %d deliveries", n)
	}
}

// TestProbeIsNotADeliveryInFlight: a FAILING webhook's probe is its oldest
// held delivery that no attempt holds. One claimed and being attempted is
// held by Hold like the others, but its attempt's record, committed after,
// holds it again: made the probe, it lost its due time there and the
// webhook had no probe until the sweep. A lease that ran out holds
// nothing.
func TestProbeIsNotADeliveryInFlight(t *testing.T) {
	t.Parallel()
	e := setup(t)
	w := e.hook(t, schematype.WebhookActive)
	inFlight, held := e.deliver(t, w), e.deliver(t, w)
	e.c.Delivery.UpdateOneID(inFlight.ID).SetClaimedUntil(t0.Add(10 * time.Minute)).SetClaimToken("h.c").ExecX(e.ctx)
	if err := deliveries.Hold(e.ctx, e.c, w.ID); err != nil {
		t.Fatal(err)
	}
	now := t0.Add(time.Minute)
	if ok, err := deliveries.ScheduleProbe(e.ctx, e.c, w.ID, now, time.Minute); !ok || err != nil {
		t.Fatalf("ScheduleProbe = %v, %v", ok, err)
	}
	if got := e.get(held.ID); !got.Probe || got.NextAttemptAt == nil || !got.NextAttemptAt.Equal(now.Add(time.Minute)) {
		t.Fatalf("the held delivery no attempt holds: %+v, want the probe, due at %v", got, now.Add(time.Minute))
	}
	if got := e.get(inFlight.ID); got.Probe || got.NextAttemptAt != nil {
		t.Fatalf("the delivery in flight: %+v, want held, not the probe", got)
	}

	// Its lease ran out (its server died): it is the oldest held again.
	e.c.Delivery.Update().Where(delivery.WebhookID(w.ID)).ClearNextAttemptAt().SetProbe(false).ExecX(e.ctx)
	later := t0.Add(11 * time.Minute)
	if ok, err := deliveries.ScheduleProbe(e.ctx, e.c, w.ID, later, 0); !ok || err != nil {
		t.Fatalf("ScheduleProbe = %v, %v", ok, err)
	}
	if got := e.get(inFlight.ID); !got.Probe || got.NextAttemptAt == nil || !got.NextAttemptAt.Equal(later) {
		t.Fatalf("the delivery whose lease ran out: %+v, want the probe, due at %v", got, later)
	}
}

// TestHeldUpToCountsEveryWebhooksHeld: the count /metrics reads counts the
// held deliveries of every webhook and stops at its limit.
func TestHeldUpToCountsEveryWebhooksHeld(t *testing.T) {
	t.Parallel()
	e := setup(t)
	paused, active := e.hook(t, schematype.WebhookActive), e.hook(t, schematype.WebhookActive)
	for range 3 {
		e.deliver(t, paused)
		e.deliver(t, active)
	}
	if err := deliveries.Hold(e.ctx, e.c, paused.ID); err != nil {
		t.Fatal(err)
	}
	for limit, want := range map[int]int{10: 3, 2: 2} {
		if n, err := deliveries.HeldUpTo(e.ctx, e.c, limit); err != nil || n != want {
			t.Fatalf("HeldUpTo(%d) = %d, %v; want %d", limit, n, err, want)
		}
	}
}

// TestHeldUpToUsesTheHeldIndex: /metrics reads the held count at every
// scrape through the partial index of held rows, never the table.
func TestHeldUpToUsesTheHeldIndex(t *testing.T) {
	t.Parallel()
	dbtest.SQLiteOnly(t) // SQLite's query plans
	dbtest.RequirePartialIndex(t, 1, "deliveries", "delivery_webhook_id_id", func(c *ent.Client) {
		if _, err := deliveries.HeldUpTo(auth.System(context.Background()), c, 10); err != nil {
			t.Fatal(err)
		}
	})
}
