package deliveries

import (
	"context"
	"fmt"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/delivery"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/apperr"
)

// Retry is the retryDelivery mutation: a FAILED delivery gets exactly one
// attempt now and no automatic retries after it; a PENDING one is due now;
// a SUCCEEDED one gets one more attempt, on the same terms as a FAILED one.
// A PAUSED webhook holds the retried delivery until it is resumed; a
// DISABLED one refuses it. working reports whether a live dispatcher may
// hold the delivery (this process's outbound.Dispatcher.Working, and any
// when other servers share the database; nil: none does): a PENDING
// delivery's lease that none holds was left by a process that died, and
// is dropped rather than waited out. c is the caller's transaction client
// (the store's hooks wake the dispatcher once it commits).
func Retry(ctx context.Context, c *ent.Client, id pulid.ID, now time.Time, working func(pulid.ID) bool) (*ent.Delivery, error) {
	d, err := c.Delivery.Query().Where(delivery.ID(id)).WithWebhook().Only(ctx)
	if ent.IsNotFound(err) {
		return nil, apperr.NotFound("delivery " + string(id))
	}
	if err != nil {
		return nil, fmt.Errorf("loading delivery: %w", err)
	}
	u := c.Delivery.UpdateOne(d)
	switch d.Edges.Webhook.Status {
	case schematype.WebhookDisabled:
		return nil, apperr.Invalid("webhook is disabled; activate it to retry its deliveries")
	case schematype.WebhookPaused:
		u.ClearNextAttemptAt() // held, due when the webhook is resumed
	default:
		u.SetNextAttemptAt(now.UTC())
	}
	switch {
	case d.Status != schematype.DeliveryPending:
		// A lease cannot be live on a finished delivery, but clearing it
		// makes the row due now whatever happened before.
		u.SetStatus(schematype.DeliveryPending).SetManual(true).ClearClaimedUntil()
	case d.ClaimedUntil != nil && (working == nil || !working(d.ID)):
		u.ClearClaimedUntil()
	}
	d, err = u.Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("retrying delivery: %w", err)
	}
	return d, nil
}
