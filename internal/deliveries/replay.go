package deliveries

import (
	"context"
	"fmt"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/delivery"
	"github.com/wexio/webhooks/ent/event"
	"github.com/wexio/webhooks/ent/predicate"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/ent/webhook"
	"github.com/wexio/webhooks/internal/apperr"
)

// Replay is the replayDeliveries mutation: every delivery of outbound
// webhook id whose event occurred in [since, until) (until zero: no end;
// a delivery is created with its event) whose status
// is one of statuses gets one attempt more, as Retry gives one: a FAILED
// or SUCCEEDED one exactly one attempt and no automatic retries; a
// PENDING one is due now. The attempts go through the webhook's
// concurrency cap and rate limit like any other. A PAUSED or FAILING
// webhook holds them until it is resumed or heals; a DISABLED one refuses.
// It answers how many deliveries it resent. c is the caller's transaction
// client.
func Replay(ctx context.Context, c *ent.Client, id pulid.ID, since, until time.Time, statuses []schematype.DeliveryStatus, now time.Time) (int, error) {
	w, err := c.Webhook.Query().Where(webhook.ID(id)).Only(ctx)
	if ent.IsNotFound(err) {
		return 0, apperr.NotFound("webhook " + string(id))
	}
	if err != nil {
		return 0, fmt.Errorf("loading webhook: %w", err)
	}
	switch {
	case w.Direction != schematype.DirectionOutbound:
		return 0, apperr.Invalid("replayDeliveries applies to outbound webhooks")
	case w.Status == schematype.WebhookDisabled:
		return 0, apperr.Invalid("webhook is disabled; enable it (setWebhookStatus ACTIVE) before replaying its deliveries")
	case len(statuses) == 0:
		return 0, nil
	case !until.IsZero() && !until.After(since):
		return 0, apperr.Invalid("until must be after since")
	}
	in := func(st ...schematype.DeliveryStatus) []predicate.Delivery {
		ev := []predicate.Event{event.OccurredAtGTE(since.UTC())}
		if !until.IsZero() {
			ev = append(ev, event.OccurredAtLT(until.UTC()))
		}
		return []predicate.Delivery{delivery.WebhookID(id), delivery.StatusIn(st...), delivery.HasEventWith(ev...)}
	}
	// A PAUSED or FAILING webhook holds what it is given; the probe of a
	// FAILING one goes on as scheduled.
	held := w.Status == schematype.WebhookPaused || w.Health == schematype.HealthFailing
	total := 0
	var finished []schematype.DeliveryStatus
	for _, st := range statuses {
		if st != schematype.DeliveryPending {
			finished = append(finished, st)
			continue
		}
		var n int
		if held {
			n, err = c.Delivery.Query().Where(in(st)...).Count(ctx)
		} else {
			// Due now; one in flight is left alone: the attempt under way
			// is the one asked for, and it counts.
			n, err = c.Delivery.Update().Where(in(st)...).Where(delivery.ClaimedUntilIsNil()).
				SetNextAttemptAt(now.UTC()).Save(ctx)
			if err == nil {
				var flying int
				flying, err = c.Delivery.Query().Where(in(st)...).Where(delivery.ClaimedUntilNotNil()).Count(ctx)
				n += flying
			}
		}
		if err != nil {
			return 0, fmt.Errorf("replaying pending deliveries: %w", err)
		}
		total += n
	}
	if len(finished) > 0 {
		u := c.Delivery.Update().Where(in(finished...)...).SetStatus(schematype.DeliveryPending).SetManual(true).
			ClearClaimedUntil().ClearClaimToken().SetProbe(false)
		if held {
			u.ClearNextAttemptAt()
		} else {
			u.SetNextAttemptAt(now.UTC())
		}
		n, err := u.Save(ctx)
		if err != nil {
			return 0, fmt.Errorf("replaying deliveries: %w", err)
		}
		total += n
		if n > 0 && w.Health == schematype.HealthFailing && w.Status == schematype.WebhookActive {
			// A FAILING webhook whose held deliveries had all finished
			// had no probe: the oldest of those replayed becomes it.
			if err := ensureProbe(ctx, c, id, now); err != nil {
				return 0, err
			}
		}
	}
	return total, nil
}

// ensureProbe schedules a probe for FAILING webhook id when none is
// scheduled.
func ensureProbe(ctx context.Context, c *ent.Client, id pulid.ID, now time.Time) error {
	has, err := c.Delivery.Query().Where(delivery.WebhookID(id), delivery.StatusEQ(schematype.DeliveryPending),
		delivery.Probe(true)).Exist(ctx)
	if err != nil || has {
		return err
	}
	_, err = ScheduleProbe(ctx, c, id, now, 0)
	return err
}
