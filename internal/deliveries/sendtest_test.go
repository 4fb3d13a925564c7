package deliveries_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent/delivery"
	"github.com/wexio/webhooks/ent/event"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/apperr"
	"github.com/wexio/webhooks/internal/deliveries"
	"github.com/wexio/webhooks/internal/events"
)

// TestSendTestTargetsOneWebhook: the webhook.test event goes to the webhook
// asked for alone, although every webhook here subscribes to "*", and
// names it.
func TestSendTestTargetsOneWebhook(t *testing.T) {
	t.Parallel()
	e := setup(t)
	wh, other := e.hook(t, schematype.WebhookActive), e.hook(t, schematype.WebhookActive)
	now := t0.Add(time.Minute)
	dl, err := deliveries.SendTest(e.ctx, e.c, wh.ID, now)
	if err != nil || dl.WebhookID != wh.ID || dl.Status != schematype.DeliveryPending || !dl.NextAttemptAt.Equal(now) {
		t.Fatalf("SendTest = %v, %+v; want a delivery to %s due at %v", err, dl, wh.ID, now)
	}
	if n := e.c.Delivery.Query().Where(delivery.WebhookID(other.ID)).CountX(e.ctx); n != 0 {
		t.Fatalf("%s got %d deliveries", other.ID, n)
	}
	ev := e.c.Event.GetX(e.ctx, dl.EventID)
	var data map[string]string
	if err := json.Unmarshal(ev.Data, &data); err != nil || ev.Type != events.WebhookTest ||
		data["webhookId"] != string(wh.ID) || data["message"] != deliveries.TestMessage || !ev.OccurredAt.Equal(now) {
		t.Fatalf("event %s %s at %v: %v", ev.Type, ev.Data, ev.OccurredAt, err)
	}
}

// TestSendTestToAPausedWebhook: a paused webhook holds the test delivery
// like any other.
func TestSendTestToAPausedWebhook(t *testing.T) {
	t.Parallel()
	e := setup(t)
	dl, err := deliveries.SendTest(e.ctx, e.c, e.hook(t, schematype.WebhookPaused).ID, t0)
	if err != nil || dl.Status != schematype.DeliveryPending || dl.NextAttemptAt != nil {
		t.Fatalf("SendTest = %v, %+v; want it PENDING and held", err, dl)
	}
}

// TestSendTestRefusals: an inbound or disabled webhook gets no test event,
// and a refusal writes nothing.
func TestSendTestRefusals(t *testing.T) {
	t.Parallel()
	e := setup(t)
	in := e.c.Webhook.Create().SetName("in").SetDirection(schematype.DirectionInbound).SaveX(e.ctx)
	for _, tt := range []struct {
		name string
		id   pulid.ID
		want apperr.Kind
	}{
		{"inbound", in.ID, apperr.KindInvalid},
		{"disabled", e.hook(t, schematype.WebhookDisabled).ID, apperr.KindInvalid},
		{"unknown", pulid.ID("wh_nope"), apperr.KindNotFound},
	} {
		if _, err := deliveries.SendTest(e.ctx, e.c, tt.id, t0); apperr.KindOf(err) != tt.want {
			t.Errorf("%s: SendTest = %v, want kind %v", tt.name, err, tt.want)
		}
	}
	if n := e.c.Event.Query().Where(event.Type(events.WebhookTest)).CountX(e.ctx); n != 0 {
		t.Fatalf("refusals wrote %d test events", n)
	}
}
