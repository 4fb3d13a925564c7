package outbound

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/delivery"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/apperr"
	"github.com/wexio/webhooks/internal/events"
	"github.com/wexio/webhooks/internal/outbox"
)

// RetryDelivery is the retryDelivery mutation: a FAILED delivery gets exactly one
// attempt now and no automatic retries after it; a PENDING one is due now;
// a SUCCEEDED one gets one more attempt, on the same terms as a FAILED one.
// A PAUSED webhook holds the retried delivery until it is resumed; a
// DISABLED one refuses it. working reports whether a live dispatcher may
// hold the delivery (this process's Dispatcher.Working, and any when other
// servers share the database; nil: none does): a PENDING delivery's lease
// that none holds was left by a process that died, and is dropped rather
// than waited out. c is the caller's transaction client; call Notify after
// the commit.
func RetryDelivery(ctx context.Context, c *ent.Client, id pulid.ID, now time.Time, working func(pulid.ID) bool) (*ent.Delivery, error) {
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

// TestMessage is the message of every webhook.test event.
const TestMessage = "This is a test event from wexio-webhooks."

// SendTest is the sendTestEvent mutation: it writes a webhook.test event
// and one delivery of it to this outbound webhook alone (no pattern
// matching). c is the caller's transaction client; call Notify after the
// commit. A PAUSED webhook holds the delivery like any other.
func SendTest(ctx context.Context, c *ent.Client, webhookID pulid.ID, now time.Time) (*ent.Delivery, error) {
	w, err := c.Webhook.Get(ctx, webhookID)
	if ent.IsNotFound(err) {
		return nil, apperr.NotFound("webhook " + string(webhookID))
	}
	if err != nil {
		return nil, fmt.Errorf("loading webhook: %w", err)
	}
	switch {
	case w.Direction != schematype.DirectionOutbound:
		return nil, apperr.Invalid("test events can be sent to outbound webhooks only")
	case w.Status == schematype.WebhookDisabled:
		return nil, apperr.Invalid("webhook is disabled; activate it to send a test event")
	}
	data, err := json.Marshal(map[string]string{"webhookId": string(w.ID), "message": TestMessage})
	if err != nil {
		return nil, fmt.Errorf("encoding test event: %w", err)
	}
	ev, err := c.Event.Create().SetWorkspaceID(w.WorkspaceID).
		SetType(events.WebhookTest).SetOccurredAt(now.UTC()).SetData(data).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("writing test event: %w", err)
	}
	return outbox.Deliver(ctx, c, ev.ID, w, now)
}
