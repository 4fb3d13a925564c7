package deliveries

import (
	"context"
	"fmt"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/delivery"
	"github.com/wexio/webhooks/ent/predicate"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
)

// Hold takes the due time off the pending deliveries of webhook id (being
// paused, disabled, or found FAILING), so the dispatcher's claim neither
// attempts nor rescans them. c is the caller's transaction client.
func Hold(ctx context.Context, c *ent.Client, id pulid.ID) error {
	err := c.Delivery.Update().Where(delivery.WebhookID(id), delivery.StatusEQ(schematype.DeliveryPending)).
		ClearNextAttemptAt().SetProbe(false).Exec(ctx)
	if err != nil {
		return fmt.Errorf("holding the deliveries of %s: %w", id, err)
	}
	return nil
}

// Release makes the held deliveries of webhook id (being activated, or
// found HEALTHY again) due at now; the claim takes them in creation order.
// A retry an attempt in flight scheduled meanwhile keeps its time
// (Retry-After included).
func Release(ctx context.Context, c *ent.Client, id pulid.ID, now time.Time) error {
	err := c.Delivery.Update().Where(delivery.WebhookID(id), delivery.StatusEQ(schematype.DeliveryPending),
		delivery.NextAttemptAtIsNil()).SetNextAttemptAt(now.UTC()).SetProbe(false).Exec(ctx)
	if err != nil {
		return fmt.Errorf("releasing the deliveries of %s: %w", id, err)
	}
	return nil
}

// ScheduleProbe makes the oldest held delivery of FAILING webhook id with
// no live lease at now its probe, due after in: the one delivery of it
// attempted until one succeeds. ok is false when it holds none (the next
// delivery emitted to it becomes the probe: outbox.Emit; the dispatcher's
// sweep schedules one for a webhook left without).
//
// A delivery claimed and being attempted is held too (Hold takes every
// pending delivery's due time), but its attempt's record, committed later,
// holds it again and would take the probe's due time with it: the probe
// was lost until the sweep.
func ScheduleProbe(ctx context.Context, c *ent.Client, id pulid.ID, now time.Time, in time.Duration) (ok bool, err error) {
	oldest, err := c.Delivery.Query().Where(delivery.WebhookID(id), delivery.StatusEQ(schematype.DeliveryPending),
		delivery.NextAttemptAtIsNil(), delivery.Or(delivery.ClaimedUntilIsNil(), delivery.ClaimedUntilLT(now.UTC()))).
		Order(delivery.ByID()).Select(delivery.FieldID).First(ctx)
	if ent.IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("finding the probe of %s: %w", id, err)
	}
	if err := c.Delivery.UpdateOneID(oldest.ID).SetNextAttemptAt(now.Add(in).UTC()).SetProbe(true).Exec(ctx); err != nil {
		return false, fmt.Errorf("scheduling the probe of %s: %w", id, err)
	}
	return true, nil
}

// Held counts the pending deliveries of webhook id that are held: its
// probe aside, none of them is attempted until it is ACTIVE and HEALTHY.
func Held(ctx context.Context, c *ent.Client, id pulid.ID) (int, error) {
	n, err := c.Delivery.Query().Where(delivery.WebhookID(id)).Where(held()...).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("counting the held deliveries of %s: %w", id, err)
	}
	return n, nil
}

// HeldUpTo counts, up to limit, the held deliveries of every webhook of
// every workspace, as /metrics reports them: one read of the held rows'
// partial index, whatever the size of the table.
func HeldUpTo(ctx context.Context, c *ent.Client, limit int) (int, error) {
	ids, err := c.Delivery.Query().Where(held()...).Limit(limit).IDs(ctx)
	if err != nil {
		return 0, fmt.Errorf("counting held deliveries: %w", err)
	}
	return len(ids), nil
}

// held selects the held deliveries: pending, without a due time.
func held() []predicate.Delivery {
	return []predicate.Delivery{delivery.StatusEQ(schematype.DeliveryPending), delivery.NextAttemptAtIsNil()}
}
