package deliveries_test

import (
	"testing"
	"time"

	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/apperr"
	"github.com/wexio/webhooks/internal/deliveries"
)

// TestRetryAFinishedDelivery: a FAILED or SUCCEEDED delivery is PENDING
// again, due now, and manual (one attempt, no automatic retries after it),
// its history (attempts) kept.
func TestRetryAFinishedDelivery(t *testing.T) {
	t.Parallel()
	for _, st := range []schematype.DeliveryStatus{schematype.DeliveryFailed, schematype.DeliverySucceeded} {
		t.Run(string(st), func(t *testing.T) {
			t.Parallel()
			e := setup(t)
			id := e.deliver(t, e.hook(t, schematype.WebhookActive)).ID
			e.attempted(t, id, st, time.Time{})
			now := t0.Add(time.Hour)
			dl, err := deliveries.Retry(e.ctx, e.c, id, now, nil)
			if err != nil || dl.Status != schematype.DeliveryPending || !dl.Manual || dl.Attempts != 1 ||
				dl.NextAttemptAt == nil || !dl.NextAttemptAt.Equal(now) || dl.ClaimedUntil != nil {
				t.Fatalf("Retry = %v, %+v; want PENDING, manual, due at %v", err, dl, now)
			}
			if got := e.get(id); got.Status != dl.Status || !got.NextAttemptAt.Equal(now) || !got.Manual {
				t.Fatalf("stored %+v, returned %+v", got, dl)
			}
		})
	}
}

// TestRetryAPendingDelivery: a PENDING delivery waiting for its next retry
// is due now and stays automatic: the retries it has left go on.
func TestRetryAPendingDelivery(t *testing.T) {
	t.Parallel()
	e := setup(t)
	id := e.deliver(t, e.hook(t, schematype.WebhookActive)).ID
	e.attempted(t, id, schematype.DeliveryPending, t0.Add(5*time.Minute))
	now := t0.Add(time.Minute)
	dl, err := deliveries.Retry(e.ctx, e.c, id, now, nil)
	if err != nil || dl.Status != schematype.DeliveryPending || dl.Manual || !dl.NextAttemptAt.Equal(now) || dl.Attempts != 1 {
		t.Fatalf("Retry = %v, %+v; want automatic, due at %v", err, dl, now)
	}
}

// TestRetryKeepsOnlyLiveLeases: the lease of a PENDING delivery that a
// live dispatcher holds stays (its attempt is under way); one that no
// dispatcher holds was left by a process that died, and is dropped so the
// delivery is due now rather than when the lease runs out.
func TestRetryKeepsOnlyLiveLeases(t *testing.T) {
	t.Parallel()
	held := func(pulid.ID) bool { return true }
	notHeld := func(pulid.ID) bool { return false }
	for _, tt := range []struct {
		name    string
		working func(pulid.ID) bool
		kept    bool
	}{
		{"held here", held, true},
		{"held by no one", notHeld, false},
		{"no dispatcher runs", nil, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t)
			id := e.deliver(t, e.hook(t, schematype.WebhookActive)).ID
			lease := t0.Add(10 * time.Minute)
			e.c.Delivery.UpdateOneID(id).SetClaimedUntil(lease).ExecX(e.ctx)
			var asked pulid.ID
			working := tt.working
			if working != nil {
				working = func(id pulid.ID) bool { asked = id; return tt.working(id) }
			}
			now := t0.Add(time.Minute)
			dl, err := deliveries.Retry(e.ctx, e.c, id, now, working)
			if err != nil || !dl.NextAttemptAt.Equal(now) {
				t.Fatalf("Retry = %v, %+v", err, dl)
			}
			if kept := dl.ClaimedUntil != nil && dl.ClaimedUntil.Equal(lease); kept != tt.kept {
				t.Fatalf("lease %v after Retry, want kept %v", dl.ClaimedUntil, tt.kept)
			}
			if working != nil && asked != id {
				t.Fatalf("asked whether %q is held, want %q", asked, id)
			}
		})
	}
}

// TestRetryOnAPausedOrDisabledWebhook: a paused webhook holds the retried
// delivery (PENDING, no due time) until it is resumed; a disabled one
// refuses the retry, which would otherwise set a due time no claim ever
// reaches, and leaves the delivery as it was.
func TestRetryOnAPausedOrDisabledWebhook(t *testing.T) {
	t.Parallel()
	e := setup(t)
	paused := e.hook(t, schematype.WebhookPaused)
	id := e.deliver(t, paused).ID
	e.attempted(t, id, schematype.DeliveryFailed, time.Time{})
	dl, err := deliveries.Retry(e.ctx, e.c, id, t0.Add(time.Hour), nil)
	if err != nil || dl.Status != schematype.DeliveryPending || !dl.Manual || dl.NextAttemptAt != nil {
		t.Fatalf("Retry while paused = %v, %+v; want it PENDING and held", err, dl)
	}
	e.c.Webhook.UpdateOne(paused).SetStatus(schematype.WebhookDisabled).ExecX(e.ctx)
	e.attempted(t, id, schematype.DeliverySucceeded, time.Time{})
	if _, err := deliveries.Retry(e.ctx, e.c, id, t0.Add(time.Hour), nil); apperr.KindOf(err) != apperr.KindInvalid {
		t.Fatalf("Retry on a disabled webhook = %v, want a validation error", err)
	}
	if dl := e.get(id); dl.Status != schematype.DeliverySucceeded || dl.NextAttemptAt != nil {
		t.Fatalf("a refused retry changed the delivery: %+v", dl)
	}
}

func TestRetryAnUnknownDelivery(t *testing.T) {
	t.Parallel()
	e := setup(t)
	if _, err := deliveries.Retry(e.ctx, e.c, pulid.ID("dlv_nope"), t0, nil); apperr.KindOf(err) != apperr.KindNotFound {
		t.Fatalf("Retry(unknown) = %v, want not found", err)
	}
}
