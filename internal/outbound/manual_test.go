package outbound_test

import (
	"encoding/json"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/apperr"
	"github.com/wexio/webhooks/internal/outbound"
	"github.com/wexio/webhooks/internal/webhooks"
)

func TestRetryDeliverySemantics(t *testing.T) {
	t.Parallel()
	e := setup(t)
	rcv, status := newStatusReceiver(t, 500)
	wh := e.hook(t, rcv.URL, nil, 0)
	em := e.emit(t)
	id := em.Deliveries[0].ID
	d := e.dispatcher(t, nil)
	e.once(t, d)
	if dl := e.delivery(t, id); dl.Status != schematype.DeliveryFailed {
		t.Fatalf("after the only attempt: %+v", dl)
	}
	// Even with retries allowed now, a manual retry is one attempt only.
	e.db.Write.Webhook.UpdateOneID(wh.ID).SetMaxRetries(5).ExecX(e.ctx)
	e.clk.add(time.Hour)
	dl, err := outbound.RetryDelivery(e.ctx, e.db.Write, id, e.clk.now(), d.Working)
	if err != nil || dl.Status != schematype.DeliveryPending || !dl.Manual || !dl.NextAttemptAt.Equal(e.clk.now()) {
		t.Fatalf("retry: %v, %+v", err, dl)
	}
	e.once(t, d)
	if dl := e.delivery(t, id); dl.Status != schematype.DeliveryFailed || dl.Attempts != 2 || e.logs(t, id)[1].NextRetryAt != nil {
		t.Fatalf("after the manual attempt: %+v", dl)
	}
	// SUCCEEDED: one more attempt.
	status.Store(200)
	outbound.RetryDelivery(e.ctx, e.db.Write, id, e.clk.now(), d.Working)
	e.once(t, d)
	if dl := e.delivery(t, id); dl.Status != schematype.DeliverySucceeded || dl.Attempts != 3 {
		t.Fatalf("after success: %+v", dl)
	}
	outbound.RetryDelivery(e.ctx, e.db.Write, id, e.clk.now(), d.Working)
	if n := e.once(t, d); n != 1 || len(rcv.got()) != 4 {
		t.Fatalf("retry of a SUCCEEDED delivery: %d claimed", n)
	}
	if _, err := outbound.RetryDelivery(e.ctx, e.db.Write, pulid.ID("dlv_nope"), e.clk.now(), d.Working); apperr.KindOf(err) != apperr.KindNotFound {
		t.Fatalf("unknown id: %v", err)
	}
}

func TestRetryPendingMakesItDueNow(t *testing.T) {
	t.Parallel()
	e := setup(t)
	rcv := newReceiver(t, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(503) })
	e.hook(t, rcv.URL, nil, 5)
	id := e.emit(t).Deliveries[0].ID
	d := e.dispatcher(t, nil)
	e.once(t, d)
	dl, err := outbound.RetryDelivery(e.ctx, e.db.Write, id, e.clk.now(), d.Working)
	if err != nil || dl.Manual || !dl.NextAttemptAt.Equal(e.clk.now()) {
		t.Fatalf("retry: %v, %+v", err, dl)
	}
	e.once(t, d)
	if dl := e.delivery(t, id); dl.Status != schematype.DeliveryPending || dl.Attempts != 2 {
		t.Fatalf("automatic retries go on: %+v", dl)
	}
}

// TestRetryAfterACrash: a PENDING delivery whose lease was left by a
// process that died is due now when retried, not when the lease runs out;
// one this process holds keeps its lease.
func TestRetryAfterACrash(t *testing.T) {
	t.Parallel()
	e := setup(t)
	rcv := newReceiver(t, nil)
	e.hook(t, rcv.URL, nil, 5)
	id := e.emit(t).Deliveries[0].ID
	// The dead process's claim: leased for the next ten minutes.
	lease := e.clk.now().Add(10 * time.Minute)
	e.db.Write.Delivery.UpdateOneID(id).SetClaimedUntil(lease).ExecX(e.ctx)
	held := func(pulid.ID) bool { return true }
	dl, err := outbound.RetryDelivery(e.ctx, e.db.Write, id, e.clk.now(), held)
	if err != nil || dl.ClaimedUntil == nil || !dl.ClaimedUntil.Equal(lease) {
		t.Fatalf("retry of a delivery held here: %v, %+v; want its lease kept", err, dl)
	}
	d := e.dispatcher(t, nil)
	if n := e.once(t, d); n != 0 {
		t.Fatalf("claimed %d under a live lease", n)
	}
	dl, err = outbound.RetryDelivery(e.ctx, e.db.Write, id, e.clk.now(), d.Working)
	if err != nil || dl.ClaimedUntil != nil || !dl.NextAttemptAt.Equal(e.clk.now()) {
		t.Fatalf("retry: %v, %+v; want the dead lease dropped, due now", err, dl)
	}
	if n := e.once(t, d); n != 1 || len(rcv.got()) != 1 {
		t.Fatalf("after the retry: claimed %d, %d requests", n, len(rcv.got()))
	}
}

// TestWorkingWhileAttempted: the dispatcher holds a delivery from its claim
// until its attempt is recorded, and lets go after.
func TestWorkingWhileAttempted(t *testing.T) {
	t.Parallel()
	e := setup(t)
	var d *outbound.Dispatcher
	var id pulid.ID
	var during atomic.Bool
	rcv := newReceiver(t, func(w http.ResponseWriter, _ *http.Request) { during.Store(d.Working(id)) })
	e.hook(t, rcv.URL, nil, 5)
	id = e.emit(t).Deliveries[0].ID
	d = e.dispatcher(t, nil)
	if d.Working(id) {
		t.Fatal("working before the claim")
	}
	if n := e.once(t, d); n != 1 {
		t.Fatalf("claimed %d", n)
	}
	if !during.Load() {
		t.Error("not working on the delivery while attempting it")
	}
	if d.Working(id) {
		t.Error("still working after the attempt was recorded")
	}
}

// TestRetryOnAPausedOrDisabledWebhook: a paused webhook holds the retried
// delivery until resumed; a disabled one refuses the retry, which would
// otherwise claim a due time that never comes.
func TestRetryOnAPausedOrDisabledWebhook(t *testing.T) {
	t.Parallel()
	e := setup(t)
	rcv, status := newStatusReceiver(t, 500)
	wh := e.hook(t, rcv.URL, nil, 0)
	id := e.emit(t).Deliveries[0].ID
	d := e.dispatcher(t, nil)
	e.once(t, d) // FAILED, no retries
	if _, err := e.svc.SetStatus(e.ctx, e.db.Write, wh.ID, schematype.WebhookPaused); err != nil {
		t.Fatal(err)
	}
	dl, err := outbound.RetryDelivery(e.ctx, e.db.Write, id, e.clk.now(), d.Working)
	if err != nil || dl.Status != schematype.DeliveryPending || dl.NextAttemptAt != nil {
		t.Fatalf("retry while paused: %v, %+v; want it pending and held", err, dl)
	}
	if n := e.once(t, d); n != 0 {
		t.Fatalf("claimed %d while paused", n)
	}
	status.Store(200)
	if _, err := e.svc.SetStatus(e.ctx, e.db.Write, wh.ID, schematype.WebhookActive); err != nil {
		t.Fatal(err)
	}
	if n := e.once(t, d); n != 1 || e.delivery(t, id).Status != schematype.DeliverySucceeded {
		t.Fatalf("after resuming: claimed %d, %+v", n, e.delivery(t, id))
	}
	if _, err := e.svc.SetStatus(e.ctx, e.db.Write, wh.ID, schematype.WebhookDisabled); err != nil {
		t.Fatal(err)
	}
	if _, err := outbound.RetryDelivery(e.ctx, e.db.Write, id, e.clk.now(), d.Working); apperr.KindOf(err) != apperr.KindInvalid {
		t.Fatalf("retry on a disabled webhook: %v, want BAD_USER_INPUT", err)
	}
	if dl := e.delivery(t, id); dl.Status != schematype.DeliverySucceeded {
		t.Fatalf("a refused retry changed the delivery: %+v", dl)
	}
}

func TestSendTestTargetsOneWebhook(t *testing.T) {
	t.Parallel()
	e := setup(t)
	rcv := newReceiver(t, nil)
	wh := e.hook(t, rcv.URL, nil, 5)
	other := e.hook(t, rcv.URL, nil, 5)
	dl, err := outbound.SendTest(e.ctx, e.db.Write, wh.ID, e.clk.now())
	if err != nil || dl.WebhookID != wh.ID {
		t.Fatalf("send test: %v", err)
	}
	if n := e.once(t, e.dispatcher(t, nil)); n != 1 {
		t.Fatalf("claimed %d; %s must get nothing", n, other.ID)
	}
	var env struct {
		Type string
		Data map[string]string
	}
	if err := json.Unmarshal(rcv.got()[0].body, &env); err != nil || env.Type != "webhook.test" || env.Data["webhookId"] != string(wh.ID) {
		t.Fatalf("body %s: %v", rcv.got()[0].body, err)
	}
	in, _, err := e.svc.CreateInbound(e.ctx, e.db.Write, webhooks.CreateInboundInput{Name: "in"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := outbound.SendTest(e.ctx, e.db.Write, in.ID, e.clk.now()); apperr.KindOf(err) != apperr.KindInvalid {
		t.Fatalf("inbound webhook: %v", err)
	}
}
