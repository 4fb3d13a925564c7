package deliveries_test

import (
	"context"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/db/dbtest"
	"github.com/wexio/webhooks/internal/outbox"
)

// t0 is when each test's deliveries are written; tests pass later times
// as the mutations' now.
var t0 = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// env is a new database in t's temporary directory, with a workspace to
// work in.
type env struct {
	c   *ent.Client
	ctx context.Context // scoped to the workspace, as a resolver's
}

func setup(t *testing.T) *env {
	t.Helper()
	s := dbtest.Open(t)
	return &env{c: s.Write, ctx: dbtest.Workspace(t, s.Write, "W")}
}

// hook creates an outbound webhook for every event type, in status st.
func (e *env) hook(t *testing.T, st schematype.WebhookStatus) *ent.Webhook {
	t.Helper()
	w, err := e.c.Webhook.Create().SetName("out").SetDirection(schematype.DirectionOutbound).
		SetURL("https://example.com/h").SetEvents([]string{"*"}).SetStatus(st).Save(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// deliver writes a contact.created event and its delivery to w at t0, as
// outbox.Emit does for a matching webhook.
func (e *env) deliver(t *testing.T, w *ent.Webhook) *ent.Delivery {
	t.Helper()
	ev, err := e.c.Event.Create().SetType("contact.created").SetOccurredAt(t0).SetData([]byte(`{}`)).Save(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	d, err := outbox.Deliver(e.ctx, e.c, ev.ID, w, t0)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// attempted records one attempt at delivery id as the dispatcher does:
// finished (FAILED or SUCCEEDED, no due time), or PENDING with the retry
// due at next.
func (e *env) attempted(t *testing.T, id pulid.ID, st schematype.DeliveryStatus, next time.Time) *ent.Delivery {
	t.Helper()
	u := e.c.Delivery.UpdateOneID(id).SetStatus(st).AddAttempts(1).ClearClaimedUntil()
	if st == schematype.DeliveryPending {
		u.SetNextAttemptAt(next)
	} else {
		u.ClearNextAttemptAt()
	}
	return u.SaveX(e.ctx)
}

func (e *env) get(id pulid.ID) *ent.Delivery { return e.c.Delivery.GetX(e.ctx, id) }
