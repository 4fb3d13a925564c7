package crm

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/delivery"
	"github.com/wexio/webhooks/ent/event"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/apperr"
	"github.com/wexio/webhooks/internal/db/dbtest"
)

var t0 = time.Date(2026, 11, 26, 17, 0, 0, 0, time.UTC)

// env is one database with two workspaces: ctx is scoped to the first, which
// has an outbound webhook subscribed to "*"; other is scoped to the second.
type env struct {
	svc        *Service
	c          *ent.Client
	ctx, other context.Context
	hook       *ent.Webhook
}

func setup(t *testing.T) *env {
	t.Helper()
	d := dbtest.Open(t)
	e := &env{svc: NewService(func() time.Time { return t0 }), c: d.Write}
	e.ctx, e.other = dbtest.Workspace(t, d.Write, "A"), dbtest.Workspace(t, d.Write, "B")
	var err error
	e.hook, err = d.Write.Webhook.Create().SetName("all").SetDirection(schematype.DirectionOutbound).
		SetURL("https://example.com/h").SetEvents([]string{"*"}).Save(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// events returns the types of the events of the first workspace, oldest
// first, and checks each has exactly one PENDING delivery to the hook, due
// at the clock's time.
func (e *env) events(t *testing.T) []string {
	t.Helper()
	evs, err := e.c.Event.Query().Order(ent.Asc(event.FieldID)).All(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, ev := range evs {
		types = append(types, ev.Type)
		ds, err := e.c.Delivery.Query().Where(delivery.EventID(ev.ID)).All(e.ctx)
		if err != nil || len(ds) != 1 || ds[0].WebhookID != e.hook.ID ||
			ds[0].Status != schematype.DeliveryPending || !ds[0].NextAttemptAt.Equal(t0) {
			t.Fatalf("deliveries of %s %s: %v, %v", ev.Type, ev.ID, ds, err)
		}
		if !ev.OccurredAt.Equal(t0) {
			t.Errorf("event %s occurred at %v", ev.Type, ev.OccurredAt)
		}
	}
	return types
}

// lastData returns the data of the newest event, checking its type.
func (e *env) lastData(t *testing.T, typ string) string {
	t.Helper()
	ev, err := e.c.Event.Query().Order(ent.Desc(event.FieldID)).First(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ev.Type != typ {
		t.Fatalf("last event is %s, want %s", ev.Type, typ)
	}
	return string(ev.Data)
}

// wantEvents checks the event types written so far.
func (e *env) wantEvents(t *testing.T, want ...string) {
	t.Helper()
	got := e.events(t)
	if len(got) != len(want) {
		t.Fatalf("events = %q, want %q", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("events = %q, want %q", got, want)
		}
	}
}

func wantKind(t *testing.T, err error, kind apperr.Kind) {
	t.Helper()
	if apperr.KindOf(err) != kind {
		t.Fatalf("error = %v (kind %d), want kind %d", err, apperr.KindOf(err), kind)
	}
}

func ptr(s string) *string { return &s }

// jsonOf writes v as compact JSON.
func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
