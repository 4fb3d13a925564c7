package outbound_test

import (
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/deliveries"
	"github.com/wexio/webhooks/internal/outbound"
)

// TestManualRetryGetsOneAttempt: the dispatcher gives a delivery retried
// by hand (deliveries.Retry) exactly one attempt and no automatic retries
// after it, even when the webhook allows them now; a SUCCEEDED one retried
// gets one more attempt on the same terms.
func TestManualRetryGetsOneAttempt(t *testing.T) {
	t.Parallel()
	e := setup(t)
	rcv, status := newStatusReceiver(t, 500)
	wh := e.hook(t, rcv.URL, nil, 0)
	id := e.emit(t).Deliveries[0].ID
	d := e.dispatcher(t, nil)
	e.once(t, d)
	if dl := e.delivery(t, id); dl.Status != schematype.DeliveryFailed {
		t.Fatalf("after the only attempt: %+v", dl)
	}
	e.db.Write.Webhook.UpdateOneID(wh.ID).SetMaxRetries(5).ExecX(e.ctx)
	e.clk.add(time.Hour)
	if _, err := deliveries.Retry(e.ctx, e.db.Write, id, e.clk.now(), d.Working); err != nil {
		t.Fatal(err)
	}
	e.once(t, d)
	if dl := e.delivery(t, id); dl.Status != schematype.DeliveryFailed || dl.Attempts != 2 || e.logs(t, id)[1].NextRetryAt != nil {
		t.Fatalf("after the manual attempt: %+v", dl)
	}
	status.Store(200)
	for attempts := 3; attempts <= 4; attempts++ {
		if _, err := deliveries.Retry(e.ctx, e.db.Write, id, e.clk.now(), d.Working); err != nil {
			t.Fatal(err)
		}
		if n := e.once(t, d); n != 1 {
			t.Fatalf("retry %d: claimed %d", attempts, n)
		}
		if dl := e.delivery(t, id); dl.Status != schematype.DeliverySucceeded || dl.Attempts != attempts || len(rcv.got()) != attempts {
			t.Fatalf("retry %d: %+v, %d requests", attempts, dl, len(rcv.got()))
		}
	}
}

// TestWorkingWhileAttempted: the dispatcher holds a delivery from its claim
// until its attempt is recorded, and lets go after; deliveries.Retry asks
// it so, to tell a live lease from one a dead process left.
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
