package outbound_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/delivery"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/outbound"
	"github.com/wexio/webhooks/internal/webhooks"
)

// deliveriesOf returns webhook id's deliveries, oldest first.
func (e *env) deliveriesOf(t testing.TB, id pulid.ID) []*ent.Delivery {
	t.Helper()
	return e.db.Read.Delivery.Query().Where(delivery.WebhookID(id)).Order(delivery.ByID()).
		AllX(auth.System(context.Background()))
}

func (e *env) webhook(t testing.TB, id pulid.ID) *ent.Webhook {
	t.Helper()
	return e.db.Read.Webhook.GetX(auth.System(context.Background()), id)
}

// healthEvents reads the webhook.* events an alerting receiver got: their
// types and data.
func healthEvents(t testing.TB, r *receiver) (types []string, data []map[string]any) {
	t.Helper()
	for _, c := range r.got() {
		var env struct {
			Type string         `json:"type"`
			Data map[string]any `json:"data"`
		}
		if err := json.Unmarshal(c.body, &env); err != nil {
			t.Fatal(err)
		}
		types, data = append(types, env.Type), append(data, env.Data)
	}
	return types, data
}

// failing sets up a webhook whose receiver answers 500 and makes it FAILING
// with twenty events, each failed once; alerts receives webhook.* events.
func failing(t *testing.T) (e *env, d *outbound.Dispatcher, w *ent.Webhook, r *receiver, status interface{ Store(int32) }, alerts *receiver, events []pulid.ID) {
	t.Helper()
	e = setup(t)
	rcv, st := newStatusReceiver(t, 500)
	alerts = newReceiver(t, nil)
	e.hookFor(t, alerts.URL, []string{"webhook.*"}, webhooks.Limits{}, 5)
	w = e.hookFor(t, rcv.URL, []string{"flow.x"}, webhooks.Limits{MaxConcurrency: intp(32)}, 5)
	events = e.emitN(t, "flow.x", outbound.FailingAfter, e.clk.now())
	d = e.dispatcher(t, nil)
	if n := e.once(t, d); n != outbound.FailingAfter {
		t.Fatalf("first pass attempted %d", n)
	}
	return e, d, w, rcv, st, alerts, events
}

// TestTwentyFailuresMakeAWebhookFailing: after 20 consecutive failed
// attempts the webhook is FAILING, says why, holds every pending delivery
// but its probe (the oldest, due a minute later), holds new ones too, and
// webhook.failing reaches the webhooks subscribed to it.
func TestTwentyFailuresMakeAWebhookFailing(t *testing.T) {
	t.Parallel()
	e, d, w, r, _, alerts, _ := failing(t)
	w = e.webhook(t, w.ID)
	if w.Health != schematype.HealthFailing || w.ConsecutiveFailures != outbound.FailingAfter ||
		w.HealthSince == nil || !w.HealthSince.Equal(e.clk.now()) || w.LastError == nil || *w.LastError == "" {
		t.Fatalf("webhook after 20 failures: health %s since %v, %d failures, last error %v",
			w.Health, w.HealthSince, w.ConsecutiveFailures, w.LastError)
	}
	dls := e.deliveriesOf(t, w.ID)
	for i, dl := range dls {
		switch {
		case i == 0 && (!dl.Probe || dl.NextAttemptAt == nil || !dl.NextAttemptAt.Equal(e.clk.now().Add(time.Minute))):
			t.Fatalf("the oldest delivery is not the probe due in a minute: %+v", dl)
		case i > 0 && (dl.Probe || dl.NextAttemptAt != nil):
			t.Fatalf("delivery %d is not held: %+v", i, dl)
		}
	}
	e.emitN(t, "flow.x", 3, e.clk.now())
	if n := e.once(t, d); n != 1 { // the alert's delivery alone
		t.Fatalf("claimed %d with everything held, want the alert alone", n)
	}
	types, data := healthEvents(t, alerts)
	if !slices.Equal(types, []string{"webhook.failing"}) || data[0]["id"] != string(w.ID) ||
		data[0]["name"] != w.Name || data[0]["lastError"] != *w.LastError {
		t.Fatalf("alerts got %v %v", types, data)
	}
	if len(r.got()) != outbound.FailingAfter {
		t.Fatalf("the receiver got %d requests while FAILING, want none past the 20", len(r.got()))
	}
	for _, dl := range e.deliveriesOf(t, w.ID)[outbound.FailingAfter:] {
		if dl.NextAttemptAt != nil {
			t.Fatalf("a delivery emitted while FAILING is not held: %+v", dl)
		}
	}
}

// TestProbeBacksOffThenRecoveryReleasesInOrder: the probe goes after 1
// minute, then 2, 4 ... (an injected clock), using none of its delivery's
// retries; its first success makes the webhook HEALTHY, emits
// webhook.recovered, and releases the held deliveries, attempted in
// creation order.
func TestProbeBacksOffThenRecoveryReleasesInOrder(t *testing.T) {
	t.Parallel()
	e, d, w, r, status, alerts, evs := failing(t)
	e.once(t, d) // the webhook.failing alert
	probe := e.deliveriesOf(t, w.ID)[0].ID
	for i, wait := range []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute} {
		e.clk.add(wait - time.Second)
		if n := e.once(t, d); n != 0 {
			t.Fatalf("probe %d went %v early", i, time.Second)
		}
		e.clk.add(time.Second)
		if n := e.once(t, d); n != 1 {
			t.Fatalf("probe %d: claimed %d, want the probe alone", i, n)
		}
		dl := e.delivery(t, probe)
		if dl.Attempts-dl.Probes != 1 || dl.Status != schematype.DeliveryPending {
			t.Fatalf("after probe %d the delivery has %d attempts, %d probes, %s: a probe must use no retry",
				i, dl.Attempts, dl.Probes, dl.Status)
		}
	}
	if got := e.webhook(t, w.ID).ProbeIntervalSeconds; got != 16*60 {
		t.Fatalf("probe interval %ds after four failed probes, want 960", got)
	}
	status.Store(200)
	e.clk.add(16 * time.Minute)
	if n := e.once(t, d); n != 1 {
		t.Fatalf("claimed %d, want the probe", n)
	}
	w = e.webhook(t, w.ID)
	if w.Health != schematype.HealthHealthy || w.ConsecutiveFailures != 0 || !w.HealthSince.Equal(e.clk.now()) {
		t.Fatalf("after a successful probe: %s, %d failures", w.Health, w.ConsecutiveFailures)
	}
	// A share of one, to see the order they are claimed in: one claim
	// after another, each takes the oldest it may lease (two where the
	// gate holds the second), attempted in either order.
	if _, err := e.svc.Update(e.ctx, e.db.Write, w.ID, webhooks.UpdateInput{Limits: webhooks.Limits{MaxConcurrency: intp(1)}}); err != nil {
		t.Fatal(err)
	}
	before := len(r.got())
	for e.once(t, d) > 0 {
	}
	got := eventIDs(t, r)[before:]
	want := []string{}
	for _, id := range evs[1:] {
		want = append(want, string(id))
	}
	if !slices.EqualFunc(claims(got, outbound.Leasable(1)), claims(want, outbound.Leasable(1)), slices.Equal) {
		t.Fatalf("released deliveries came in order %v, want creation order %v", got, want)
	}
	if types, _ := healthEvents(t, alerts); !slices.Equal(types, []string{"webhook.failing", "webhook.recovered"}) {
		t.Fatalf("alerts got %v", types)
	}
}

// TestFailingTooLongIsDisabled: FAILING for WEXIO_OUTBOUND_DISABLE_AFTER
// makes the webhook DISABLED (webhook.disabled emitted once); enabling it
// again makes it HEALTHY and releases what it held.
func TestFailingTooLongIsDisabled(t *testing.T) {
	t.Parallel()
	e, d, w, _, _, alerts, _ := failing(t)
	e.clk.add(119 * time.Hour)
	if err := d.Sweep(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := e.webhook(t, w.ID).Status; got != schematype.WebhookActive {
		t.Fatalf("after 119h FAILING: %s", got)
	}
	e.clk.add(time.Hour)
	for range 2 {
		if err := d.Sweep(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if got := e.webhook(t, w.ID); got.Status != schematype.WebhookDisabled {
		t.Fatalf("after 120h FAILING: %s", got.Status)
	}
	for e.once(t, d) > 0 {
	}
	types, data := healthEvents(t, alerts) // attempted together: in either order
	at := slices.Index(types, "webhook.disabled")
	if len(types) != 2 || !slices.Contains(types, "webhook.failing") || at < 0 || data[at]["id"] != string(w.ID) {
		t.Fatalf("alerts got %v %v, want webhook.failing and webhook.disabled once each", types, data)
	}
	for _, dl := range e.deliveriesOf(t, w.ID) {
		if dl.NextAttemptAt != nil || dl.Status != schematype.DeliveryPending {
			t.Fatalf("a disabled webhook's delivery is not held: %+v", dl)
		}
	}
	if _, err := e.svc.SetStatus(e.ctx, e.db.Write, w.ID, schematype.WebhookActive); err != nil {
		t.Fatal(err)
	}
	w = e.webhook(t, w.ID)
	if w.Health != schematype.HealthHealthy || w.ConsecutiveFailures != 0 {
		t.Fatalf("enabled again: %s with %d failures", w.Health, w.ConsecutiveFailures)
	}
	for _, dl := range e.deliveriesOf(t, w.ID) {
		if dl.NextAttemptAt == nil {
			t.Fatalf("enabling did not release %+v", dl)
		}
	}
}

// TestSweepMendsStaleHolds: a delivery held for a webhook that is HEALTHY
// (created from a cached view a moment old) is released by the sweep; a
// FAILING webhook holding deliveries with no probe gets one.
func TestSweepMendsStaleHolds(t *testing.T) {
	t.Parallel()
	e := setup(t)
	r := newReceiver(t, nil)
	w := e.hookFor(t, r.URL, []string{"flow.x"}, webhooks.Limits{}, 5)
	e.emitN(t, "flow.x", 2, e.clk.now())
	sys := auth.System(context.Background())
	e.db.Write.Delivery.Update().Where(delivery.WebhookID(w.ID)).ClearNextAttemptAt().ExecX(sys)
	d := e.dispatcher(t, nil)
	if err := d.Sweep(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := e.once(t, d); n != 2 {
		t.Fatalf("claimed %d after the sweep, want the 2 released", n)
	}

	f := e.hookFor(t, r.URL, []string{"flow.y"}, webhooks.Limits{}, 5)
	e.db.Write.Webhook.UpdateOneID(f.ID).SetHealth(schematype.HealthFailing).SetHealthSince(e.clk.now()).ExecX(sys)
	e.emitN(t, "flow.y", 2, e.clk.now()) // held: no probe yet
	if err := d.Sweep(context.Background()); err != nil {
		t.Fatal(err)
	}
	dls := e.deliveriesOf(t, f.ID)
	if !dls[0].Probe || dls[0].NextAttemptAt == nil || dls[1].NextAttemptAt != nil {
		t.Fatalf("after the sweep: %+v %+v, want the oldest the probe", dls[0], dls[1])
	}
}

// claims cuts ids into the claims of n that took them, each sorted: the
// order within a claim is the gate's, and not an order of claims.
func claims(ids []string, n int) [][]string {
	var out [][]string
	for c := range slices.Chunk(ids, n) {
		out = append(out, slices.Sorted(slices.Values(c)))
	}
	return out
}
