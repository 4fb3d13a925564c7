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
	"github.com/wexio/webhooks/internal/groupcommit"
	"github.com/wexio/webhooks/internal/workqueue"
)

// Claimer hands out due deliveries under a lease: Claim returns PENDING
// deliveries with next_attempt_at <= now, no live lease and an ACTIVE
// webhook, with their webhook and event loaded. The SQLite version below
// serialises claims through the single writer; a PostgreSQL version would
// select with FOR UPDATE SKIP LOCKED so several nodes can share one queue.
// The dispatcher only sees this interface.
type Claimer = workqueue.Claimer[*ent.Delivery]

var _ Claimer = (*SQLiteClaimer)(nil)

// SQLiteClaimer claims through the group-commit writer: a claim is one short
// job in a write transaction (BEGIN IMMEDIATE), so no two claims overlap and
// no HTTP call ever runs while the lock is held. The claimed deliveries'
// webhook and event are loaded from the read pool after the claim commits,
// off the writer every ingest shares.
type SQLiteClaimer struct {
	w    *groupcommit.Writer
	read *ent.Client
}

// NewSQLiteClaimer returns a Claimer over the writer of a SQLite database
// and its read client.
func NewSQLiteClaimer(w *groupcommit.Writer, read *ent.Client) *SQLiteClaimer {
	return &SQLiteClaimer{w: w, read: read}
}

// Claim implements Claimer.
func (c *SQLiteClaimer) Claim(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]*ent.Delivery, error) {
	var ids []pulid.ID
	now = now.UTC()
	err := c.w.Do(ctx, func(ctx context.Context, tx *ent.Tx, _ *groupcommit.Hooks) error {
		var err error
		if ids, err = dueIDs(ctx, tx.Client(), now, limit); err != nil || len(ids) == 0 {
			return err
		}
		return tx.Delivery.Update().Where(delivery.IDIn(ids...)).
			SetClaimedUntil(now.Add(lease)).Exec(ctx)
	})
	if err != nil {
		return nil, fmt.Errorf("claiming due deliveries: %w", err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	out, err := c.read.Delivery.Query().Where(delivery.IDIn(ids...)).WithWebhook().WithEvent().All(ctx)
	if err != nil {
		// The leases stand: the deliveries are claimed again when they expire.
		return nil, fmt.Errorf("loading claimed deliveries: %w", err)
	}
	return out, nil
}

// dueIDs returns up to limit deliveries that may be attempted now: first
// those whose lease expired (their worker died), then unleased ones in due
// order. Each is one range of the (claimed_until, next_attempt_at) index,
// so the leases in flight are never scanned. A PAUSED or DISABLED webhook's
// deliveries are held without a due time (outbox.Deliver,
// webhooks.SetStatus); the webhook check only covers one rescheduled by an
// attempt in flight when the webhook was paused.
func dueIDs(ctx context.Context, c *ent.Client, now time.Time, limit int) ([]pulid.ID, error) {
	due := []predicate.Delivery{
		delivery.StatusEQ(schematype.DeliveryPending),
		delivery.NextAttemptAtLTE(now),
		delivery.HasWebhookWith(webhook.StatusEQ(schematype.WebhookActive)),
	}
	expired, err := c.Delivery.Query().Where(due...).Where(delivery.ClaimedUntilLT(now)).
		Limit(limit).IDs(ctx)
	if err != nil || len(expired) == limit {
		return expired, err
	}
	fresh, err := c.Delivery.Query().Where(due...).Where(delivery.ClaimedUntilIsNil()).
		Order(delivery.ByNextAttemptAt()).Limit(limit - len(expired)).IDs(ctx)
	return append(expired, fresh...), err
}

// Release implements Claimer.
func (c *SQLiteClaimer) Release(ctx context.Context, ids []pulid.ID) error {
	if len(ids) == 0 {
		return nil
	}
	err := c.w.Do(ctx, func(ctx context.Context, tx *ent.Tx, _ *groupcommit.Hooks) error {
		return tx.Delivery.Update().
			Where(delivery.IDIn(ids...), delivery.StatusEQ(schematype.DeliveryPending)).
			ClearClaimedUntil().Exec(ctx)
	})
	if err != nil {
		return fmt.Errorf("releasing %d leases: %w", len(ids), err)
	}
	return nil
}
