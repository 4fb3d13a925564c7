package outbound

import (
	"context"
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
// webhook, with their webhook and event loaded. The SQLite version
// serialises claims through the single writer; a PostgreSQL version would
// select with FOR UPDATE SKIP LOCKED so several nodes can share one queue.
// The dispatcher only sees this interface.
type Claimer = workqueue.Claimer[*ent.Delivery]

// NewSQLiteClaimer returns a Claimer over the writer of a SQLite database
// and its read client.
func NewSQLiteClaimer(w store.Writer, read *ent.Client) Claimer {
	return workqueue.NewSQLiteClaimer(w, read, deliveries)
}

// deliveries is the delivery table as a queue. A PAUSED or DISABLED
// webhook's deliveries are held without a due time (outbox.Deliver,
// webhooks.SetStatus); the webhook check only covers one rescheduled by an
// attempt in flight when the webhook was paused.
var deliveries = workqueue.Table[*ent.Delivery]{
	Name: "deliveries",
	Expired: func(ctx context.Context, c *ent.Client, now time.Time, limit int) ([]pulid.ID, error) {
		return c.Delivery.Query().Where(due(now)...).Where(delivery.ClaimedUntilLT(now)).Limit(limit).IDs(ctx)
	},
	Unleased: func(ctx context.Context, c *ent.Client, now time.Time, limit int) ([]pulid.ID, error) {
		return c.Delivery.Query().Where(due(now)...).Where(delivery.ClaimedUntilIsNil()).
			Order(delivery.ByNextAttemptAt()).Limit(limit).IDs(ctx)
	},
	Lease: func(ctx context.Context, c *ent.Client, ids []pulid.ID, _, until time.Time) error {
		return c.Delivery.Update().Where(delivery.IDIn(ids...)).SetClaimedUntil(until).Exec(ctx)
	},
	Load: func(ctx context.Context, c *ent.Client, ids []pulid.ID) ([]*ent.Delivery, error) {
		return c.Delivery.Query().Where(delivery.IDIn(ids...)).WithWebhook().WithEvent().All(ctx)
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
}

// ReleaseAbandoned makes every leased delivery due at once: at a start
// that holds the database's worker lock, those leases were left by a
// process that died, and would otherwise hold their deliveries until they
// ran out, 10 minutes later.
func ReleaseAbandoned(ctx context.Context, w store.Writer) (int, error) {
	return workqueue.NewSQLiteClaimer(w, nil, deliveries).ReleaseAbandoned(ctx)
}

// due selects what may be attempted at now, lease aside.
func due(now time.Time) []predicate.Delivery {
	return []predicate.Delivery{
		delivery.StatusEQ(schematype.DeliveryPending),
		delivery.NextAttemptAtLTE(now),
		delivery.HasWebhookWith(webhook.StatusEQ(schematype.WebhookActive)),
	}
}
