package deliveries

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/apperr"
	"github.com/wexio/webhooks/internal/events"
	"github.com/wexio/webhooks/internal/outbox"
)

// TestMessage is the message of every webhook.test event.
const TestMessage = "This is a test event from wexio-webhooks."

// SendTest is the sendTestEvent mutation: it writes a webhook.test event
// and one delivery of it to this outbound webhook alone (no pattern
// matching). c is the caller's transaction client (the store's hooks wake
// the dispatcher once it commits). A PAUSED webhook holds the delivery like
// any other.
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
