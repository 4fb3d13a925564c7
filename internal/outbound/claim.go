package outbound

import (
	"context"
	"fmt"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/delivery"
	"github.com/wexio/webhooks/ent/predicate"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/ent/webhook"
	"github.com/wexio/webhooks/internal/store"
	"github.com/wexio/webhooks/internal/workqueue"
)

// Claimer hands out due deliveries under a lease: Claim returns PENDING
// deliveries with next_attempt_at <= now, no live lease and an ACTIVE
// webhook, with their webhook and event loaded. How a claim locks is the
// store's (store.Claimer). The dispatcher only sees this interface.
type Claimer = workqueue.Claimer[*ent.Delivery]

// NewClaimer returns a Claimer of the deliveries ids claims (the store's
// claimer of Deliveries), loaded through read.
func NewClaimer(ids store.Claimer, read *ent.Client) Claimer {
	return workqueue.NewRows("deliveries", ids, read, loadDeliveries).WithNextDue(nextDue)
}

// nextDue is the earliest time after now an unclaimed delivery comes due
// (its retry), read on the due index: the dispatcher wakes for it rather
// than at its next poll.
// A rate-limited webhook's next turn (rate_next_at) counts too: its due
// deliveries wait for it.
func nextDue(ctx context.Context, c *ent.Client, now time.Time) (time.Time, bool, error) {
	var at time.Time
	d, err := c.Delivery.Query().Where(delivery.StatusEQ(schematype.DeliveryPending), delivery.ClaimedUntilIsNil(),
		delivery.NextAttemptAtGT(now)).Order(delivery.ByNextAttemptAt()).Select(delivery.FieldNextAttemptAt).First(ctx)
	switch {
	case ent.IsNotFound(err):
	case err != nil:
		return time.Time{}, false, err
	case d.NextAttemptAt != nil:
		at = *d.NextAttemptAt
	}
	w, err := c.Webhook.Query().Where(webhook.RateNextAtGT(now)).Order(webhook.ByRateNextAt()).
		Select(webhook.FieldRateNextAt).First(ctx)
	switch {
	case ent.IsNotFound(err):
	case err != nil:
		return time.Time{}, false, err
	case w.RateNextAt != nil && (at.IsZero() || w.RateNextAt.Before(at)):
		at = *w.RateNextAt
	}
	return at, !at.IsZero(), nil
}

// loadDeliveries reads the deliveries of claim token with their webhook
// and event: one claimed again by someone else meanwhile is not ours.
func loadDeliveries(ctx context.Context, c *ent.Client, ids []pulid.ID, token string) ([]*ent.Delivery, error) {
	return c.Delivery.Query().Where(delivery.IDIn(ids...), delivery.ClaimToken(token)).WithWebhook().WithEvent().All(ctx)
}

// Deliveries is the delivery table as a queue. A PAUSED or DISABLED
// webhook's deliveries are held without a due time (outbox.Deliver,
// webhooks.SetStatus); the webhook check only covers one rescheduled by an
// attempt in flight when the webhook was paused.
var Deliveries = store.LeaseTable{
	Name: "deliveries",
	Due:  shareDue,
	Expired: func(ctx context.Context, c *ent.Client, now time.Time, limit int, lock bool) ([]pulid.ID, error) {
		return store.LockIf(c.Delivery.Query().Where(due(now)...).Where(delivery.ClaimedUntilLT(now)).Limit(limit), lock).IDs(ctx)
	},
	Unleased: func(ctx context.Context, c *ent.Client, now time.Time, limit int, lock bool) ([]pulid.ID, error) {
		return store.LockIf(c.Delivery.Query().Where(due(now)...).Where(delivery.ClaimedUntilIsNil()).
			Order(delivery.ByNextAttemptAt()).Limit(limit), lock).IDs(ctx)
	},
	Lease: func(ctx context.Context, c *ent.Client, ids []pulid.ID, _, until time.Time, token string) error {
		return c.Delivery.Update().Where(delivery.IDIn(ids...)).SetClaimedUntil(until).SetClaimToken(token).Exec(ctx)
	},
	Unlease: func(ctx context.Context, c *ent.Client, ids []pulid.ID) error {
		return c.Delivery.Update().Where(delivery.IDIn(ids...), delivery.StatusEQ(schematype.DeliveryPending)).
			ClearClaimedUntil().Exec(ctx)
	},
	UnleaseAll: func(ctx context.Context, c *ent.Client) (int, error) {
		// Leased rows are due ones: the due index finds them.
		return c.Delivery.Update().Where(delivery.ClaimedUntilNotNil(), delivery.NextAttemptAtNotNil(),
			delivery.StatusEQ(schematype.DeliveryPending)).ClearClaimedUntil().Save(ctx)
	},
	UnleaseHeldBy: func(ctx context.Context, c *ent.Client, prefix string) (int, error) {
		// The token goes too: the dead holder, should it wake, finishes
		// nothing.
		return c.Delivery.Update().Where(delivery.ClaimedUntilNotNil(), delivery.NextAttemptAtNotNil(),
			delivery.StatusEQ(schematype.DeliveryPending), delivery.ClaimTokenHasPrefix(prefix)).
			ClearClaimedUntil().ClearClaimToken().Save(ctx)
	},
}

// due selects what may be attempted at now, lease aside.
func due(now time.Time) []predicate.Delivery {
	return []predicate.Delivery{
		delivery.StatusEQ(schematype.DeliveryPending),
		delivery.NextAttemptAtLTE(now),
		delivery.HasWebhookWith(webhook.StatusEQ(schematype.WebhookActive)),
	}
}

// Backlog is the outbound queue as an operator watches it: how many
// deliveries are due at now and claimed by no server (counted up to
// limit), and how long the oldest of them has been due. Both read the due
// index, as claims do, whatever the size of the table.
func Backlog(ctx context.Context, c *ent.Client, now time.Time, limit int) (int, time.Duration, error) {
	q := func() *ent.DeliveryQuery {
		return c.Delivery.Query().Where(due(now)...).Where(delivery.ClaimedUntilIsNil())
	}
	ids, err := q().Limit(limit).IDs(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("counting due deliveries: %w", err)
	}
	if len(ids) == 0 {
		return 0, 0, nil
	}
	oldest, err := q().Order(delivery.ByNextAttemptAt()).Select(delivery.FieldNextAttemptAt).First(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("finding the oldest due delivery: %w", err)
	}
	var lag time.Duration
	if oldest.NextAttemptAt != nil {
		lag = max(now.Sub(*oldest.NextAttemptAt), 0)
	}
	return len(ids), lag, nil
}
