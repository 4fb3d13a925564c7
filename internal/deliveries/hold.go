package deliveries

import (
	"context"
	"fmt"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/delivery"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
)

// Hold takes the due time off the pending deliveries of webhook id (being
// paused or disabled), so the dispatcher's claim neither attempts nor
// rescans them. c is the caller's transaction client.
func Hold(ctx context.Context, c *ent.Client, id pulid.ID) error {
	err := c.Delivery.Update().Where(delivery.WebhookID(id), delivery.StatusEQ(schematype.DeliveryPending)).
		ClearNextAttemptAt().Exec(ctx)
	if err != nil {
		return fmt.Errorf("holding the deliveries of %s: %w", id, err)
	}
	return nil
}

// Release makes the held deliveries of webhook id (being activated) due at
// now. A retry an attempt in flight scheduled meanwhile keeps its time
// (Retry-After included).
func Release(ctx context.Context, c *ent.Client, id pulid.ID, now time.Time) error {
	err := c.Delivery.Update().Where(delivery.WebhookID(id), delivery.StatusEQ(schematype.DeliveryPending),
		delivery.NextAttemptAtIsNil()).SetNextAttemptAt(now.UTC()).Exec(ctx)
	if err != nil {
		return fmt.Errorf("releasing the deliveries of %s: %w", id, err)
	}
	return nil
}
