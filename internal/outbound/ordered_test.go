package outbound_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent/delivery"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/apperr"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/deliveries"
	"github.com/wexio/webhooks/internal/webhooks"
)

// failFor is a receiver that answers 500 to the events named in fail, as
// many times as each one says, and 200 otherwise.
func failFor(t testing.TB, fail map[string]int) *receiver {
	var mu sync.Mutex
	return newReceiver(t, func(w http.ResponseWriter, r *http.Request) {
		// The envelope's id is the event's: read back after the fact.
		id := r.Header.Get("Webhook-Id")
		mu.Lock()
		defer mu.Unlock()
		if fail[id] > 0 {
			fail[id]--
			w.WriteHeader(http.StatusInternalServerError)
		}
	})
}

// drain runs passes, moving the clock past each retry, until nothing is
// due within an hour.
func (e *env) drain(t testing.TB, once func() int) {
	t.Helper()
	for range 200 {
		if once() > 0 {
			continue
		}
		e.clk.add(30 * time.Minute)
		if once() == 0 {
			return
		}
	}
	t.Fatal("deliveries still due after 200 passes")
}

// TestOrderedDeliveryWaitsForAFailure: an ordered webhook's deliveries are
// attempted one at a time in event order; one that fails holds back the
// later ones until it succeeds.
func TestOrderedDeliveryWaitsForAFailure(t *testing.T) {
	t.Parallel()
	e := setup(t)
	fail := map[string]int{}
	r := failFor(t, fail)
	w := e.hookFor(t, r.URL, []string{"flow.o"}, webhooks.Limits{Ordered: boolp(true)}, 5)
	evs := e.emitN(t, "flow.o", 6, e.clk.now())
	fail[string(evs[2])] = 2 // the third fails twice, then succeeds
	d := e.dispatcher(t, nil)
	e.drain(t, func() int { return e.once(t, d) })
	got := eventIDs(t, r)
	want := ids(evs[0], evs[1], evs[2], evs[2], evs[2], evs[3], evs[4], evs[5])
	if !slices.Equal(got, want) {
		t.Fatalf("ordered webhook got %v, want %v", got, want)
	}
	for _, dl := range e.deliveriesOf(t, w.ID) {
		if dl.Status != schematype.DeliverySucceeded {
			t.Fatalf("%+v", dl)
		}
	}
}

// TestOrderedDeliveryMovesOnWhenRetriesRunOut: a delivery that exhausts
// its retries ends FAILED and the next one goes; the FAILED one can be
// replayed.
func TestOrderedDeliveryMovesOnWhenRetriesRunOut(t *testing.T) {
	t.Parallel()
	e := setup(t)
	fail := map[string]int{}
	r := failFor(t, fail)
	w := e.hookFor(t, r.URL, []string{"flow.o"}, webhooks.Limits{Ordered: boolp(true)}, 1)
	evs := e.emitN(t, "flow.o", 3, e.clk.now())
	fail[string(evs[1])] = 100
	d := e.dispatcher(t, nil)
	e.drain(t, func() int { return e.once(t, d) })
	if got, want := eventIDs(t, r), ids(evs[0], evs[1], evs[1], evs[2]); !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	dls := e.deliveriesOf(t, w.ID)
	if dls[1].Status != schematype.DeliveryFailed || dls[2].Status != schematype.DeliverySucceeded {
		t.Fatalf("statuses %s %s", dls[1].Status, dls[2].Status)
	}
	fail[string(evs[1])] = 0
	n, err := deliveries.Replay(e.ctx, e.db.Write, w.ID, e.clk.now().Add(-time.Hour), time.Time{}, []schematype.DeliveryStatus{schematype.DeliveryFailed}, e.clk.now())
	if err != nil || n != 1 {
		t.Fatalf("replay: %d, %v", n, err)
	}
	e.drain(t, func() int { return e.once(t, d) })
	if dl := e.delivery(t, dls[1].ID); dl.Status != schematype.DeliverySucceeded {
		t.Fatalf("replayed: %+v", dl)
	}
}

// TestReplayResendsWhatMatches: replayDeliveries counts and resends the
// deliveries created in [since, until) whose status it names, once each
// with no retries after; refused on a DISABLED webhook.
func TestReplayResendsWhatMatches(t *testing.T) {
	t.Parallel()
	e := setup(t)
	fail := map[string]int{}
	r := failFor(t, fail)
	w := e.hookFor(t, r.URL, []string{"flow.p"}, webhooks.Limits{}, 0)
	t0 := e.clk.now()
	early := e.emitN(t, "flow.p", 2, t0)
	e.clk.add(time.Hour)
	mid := e.emitN(t, "flow.p", 4, e.clk.now())
	e.clk.add(time.Hour)
	late := e.emitN(t, "flow.p", 2, e.clk.now())
	for _, id := range append(append(append([]pulid.ID{}, early...), mid[:3]...), late...) {
		fail[string(id)] = 1 // fails once: FAILED, no retries
	}
	d := e.dispatcher(t, nil)
	e.drain(t, func() int { return e.once(t, d) })
	before := len(r.got())

	since, until := t0.Add(30*time.Minute), t0.Add(90*time.Minute)
	n, err := deliveries.Replay(e.ctx, e.db.Write, w.ID, since, until, []schematype.DeliveryStatus{schematype.DeliveryFailed}, e.clk.now())
	if err != nil || n != 3 {
		t.Fatalf("replay FAILED in the middle hour: %d, %v; want 3", n, err)
	}
	e.drain(t, func() int { return e.once(t, d) })
	if got, want := eventIDs(t, r)[before:], ids(mid[:3]...); !sameSet(got, want) {
		t.Fatalf("replay resent %v, want %v", got, want)
	}
	n, err = deliveries.Replay(e.ctx, e.db.Write, w.ID, t0, time.Time{},
		[]schematype.DeliveryStatus{schematype.DeliveryFailed, schematype.DeliverySucceeded}, e.clk.now())
	if err != nil || n != 8 {
		t.Fatalf("replay everything: %d, %v; want 8", n, err)
	}
	for _, dl := range e.deliveriesOf(t, w.ID) {
		if !dl.Manual || dl.Status != schematype.DeliveryPending {
			t.Fatalf("replayed %+v: want one manual attempt pending", dl)
		}
	}

	if _, err := e.svc.SetStatus(e.ctx, e.db.Write, w.ID, schematype.WebhookDisabled); err != nil {
		t.Fatal(err)
	}
	_, err = deliveries.Replay(e.ctx, e.db.Write, w.ID, t0, time.Time{}, []schematype.DeliveryStatus{schematype.DeliveryFailed}, e.clk.now())
	if apperr.KindOf(err) != apperr.KindInvalid || !strings.Contains(err.Error(), "enable it") {
		t.Fatalf("replay on a DISABLED webhook: %v, want refused saying to enable it", err)
	}
}

// TestHeldAndOrderedSurviveACrash: the process dies with a FAILING
// webhook's deliveries held and its probe leased, and an ordered webhook's
// head leased after a failure; a new process finds them as they were and
// delivers everything, in order, each within its retries.
func TestHeldAndOrderedSurviveACrash(t *testing.T) {
	t.Parallel()
	e := setup(t)
	bad, status := newStatusReceiver(t, 500)
	fw := e.hookFor(t, bad.URL, []string{"flow.f"}, webhooks.Limits{MaxConcurrency: intp(32)}, 5)
	fail := map[string]int{}
	or := failFor(t, fail)
	ow := e.hookFor(t, or.URL, []string{"flow.o"}, webhooks.Limits{Ordered: boolp(true)}, 5)
	e.emitN(t, "flow.f", 25, e.clk.now())
	oevs := e.emitN(t, "flow.o", 4, e.clk.now())
	fail[string(oevs[0])] = 1
	d := e.dispatcher(t, nil)
	for e.once(t, d) > 0 { // 25 failures (FAILING), the ordered head once
	}
	if got := e.webhook(t, fw.ID).Health; got != schematype.HealthFailing {
		t.Fatalf("health %s", got)
	}
	// Due now: both claimed by a process that dies before attempting them.
	e.clk.add(time.Minute)
	ctx := auth.System(context.Background())
	if got, err := e.claimer().Claim(ctx, e.clk.now(), 100, 10*time.Minute); err != nil || len(got) != 2 {
		t.Fatalf("claimed %d (%v), want the probe and the ordered head", len(got), err)
	}
	_ = e.db.Close()
	e.open(t)

	held, err := e.db.Read.Delivery.Query().Where(delivery.WebhookID(fw.ID), delivery.NextAttemptAtIsNil()).Count(ctx)
	if err != nil || held != 24 {
		t.Fatalf("after the crash %d held (%v), want 24", held, err)
	}
	status.Store(200)
	d = e.dispatcher(t, nil)
	e.clk.add(11 * time.Minute) // the dead process's leases run out
	e.drain(t, func() int { return e.once(t, d) })
	for _, dl := range append(e.deliveriesOf(t, fw.ID), e.deliveriesOf(t, ow.ID)...) {
		if dl.Status != schematype.DeliverySucceeded || dl.Attempts-dl.Probes > 2 {
			t.Fatalf("after the restart: %+v", dl)
		}
	}
	if got, want := eventIDs(t, or), ids(oevs[0], oevs[0], oevs[1], oevs[2], oevs[3]); !slices.Equal(got, want) {
		t.Fatalf("ordered webhook got %v, want %v", got, want)
	}
	if len(bad.got()) != 25+1+24 {
		t.Fatalf("the failing receiver got %d requests, want 25 failures, the probe, then the 24 released", len(bad.got()))
	}
}

func boolp(b bool) *bool { return &b }

func ids(evs ...pulid.ID) []string {
	out := make([]string, len(evs))
	for i, id := range evs {
		out[i] = string(id)
	}
	return out
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
