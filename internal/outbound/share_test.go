package outbound_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/delivery"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/outbound"
	"github.com/wexio/webhooks/internal/outbox"
	"github.com/wexio/webhooks/internal/testkit"
	"github.com/wexio/webhooks/internal/webhooks"
)

// hookFor creates an outbound webhook of the event patterns evs with the
// fair-share settings l.
func (e *env) hookFor(t testing.TB, url string, evs []string, l webhooks.Limits, retries int) *ent.Webhook {
	t.Helper()
	w, _, err := e.svc.CreateOutbound(e.ctx, e.db.Write, webhooks.CreateOutboundInput{
		Name: "out " + evs[0], URL: url, Events: evs, MaxRetries: &retries, Limits: l,
	})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// emitN writes n events of type typ at at, in one transaction, and returns
// their ids in order.
func (e *env) emitN(t testing.TB, typ string, n int, at time.Time) []pulid.ID {
	t.Helper()
	tx, err := e.db.Write.Tx(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]pulid.ID, n)
	for i := range n {
		em, err := outbox.Emit(e.ctx, tx.Client(), typ, map[string]any{"n": i}, at)
		if err != nil {
			_ = tx.Rollback()
			t.Fatal(err)
		}
		ids[i] = em.Event.ID
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return ids
}

func intp(n int) *int { return &n }

// hangingReceiver answers nothing until release is closed (or the request
// is cancelled), counting the requests it holds at once.
type hangingReceiver struct {
	*receiver
	release     chan struct{}
	now, most   atomic.Int32
	total       atomic.Int32
	releaseOnce sync.Once
}

func newHangingReceiver(t testing.TB) *hangingReceiver {
	h := &hangingReceiver{release: make(chan struct{})}
	h.receiver = newReceiver(t, func(w http.ResponseWriter, r *http.Request) {
		h.total.Add(1)
		n := h.now.Add(1)
		for {
			m := h.most.Load()
			if n <= m || h.most.CompareAndSwap(m, n) {
				break
			}
		}
		select {
		case <-h.release:
		case <-r.Context().Done():
		}
		h.now.Add(-1)
	})
	// Before the server closes (cleanups run last first): Close waits for
	// the handlers.
	t.Cleanup(h.unblock)
	return h
}

func (h *hangingReceiver) unblock() { h.releaseOnce.Do(func() { close(h.release) }) }

// TestFairShareKeepsAHungReceiverToItsShare: receiver S hangs every
// request until its timeout, receiver F answers at once. With 2,000 events
// queued for S and then 2,000 for F, every delivery to F arrives while S
// holds its 16 workers and never more: S's deliveries past what a claim
// may lease stay due and unclaimed, not parked in the dispatcher's queue
// ahead of F's, and those leased past its share wait at the gate holding
// no worker. On stop, every lease of S is handed back.
func TestFairShareKeepsAHungReceiverToItsShare(t *testing.T) {
	t.Parallel()
	e := setup(t)
	s := newHangingReceiver(t)
	f := newReceiver(t, nil)
	hs := e.hookFor(t, s.URL, []string{"flow.s"}, webhooks.Limits{}, 5)
	e.hookFor(t, f.URL, []string{"flow.f"}, webhooks.Limits{}, 5)
	if hs.MaxConcurrency != 16 {
		t.Fatalf("default maxConcurrency %d, want 16", hs.MaxConcurrency)
	}
	e.emitN(t, "flow.s", 2000, e.clk.now())
	e.emitN(t, "flow.f", 2000, e.clk.now())

	d := e.dispatcher(t, func(c *outbound.Config) { c.ShutdownTimeout = 100 * time.Millisecond })
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = d.Run(ctx) }()
	stopped := false
	defer func() {
		if !stopped {
			stop()
			s.unblock()
			<-done
		}
	}()

	deadline := time.Now().Add(60 * time.Second)
	for len(f.got()) < 2000 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := len(f.got()); n != 2000 {
		t.Fatalf("F received %d of 2000 deliveries while S hung (S holds %d)", n, s.now.Load())
	}
	if most, now := s.most.Load(), s.now.Load(); most != 16 || now != 16 {
		t.Fatalf("S held %d requests at most (%d now), want its share of 16 saturated", most, now)
	}
	if got := s.total.Load(); got != 16 {
		t.Fatalf("S was sent %d requests, want 16: the rest wait unclaimed", got)
	}
	leasedOf := func() int {
		n, err := e.db.Read.Delivery.Query().Where(delivery.WebhookID(hs.ID), delivery.ClaimedUntilNotNil()).
			Count(auth.System(context.Background()))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := leasedOf(); n != outbound.Leasable(16) {
		t.Fatalf("%d of S's deliveries leased, want %d", n, outbound.Leasable(16))
	}
	stop()
	<-done
	stopped = true
	s.unblock()
	if n := leasedOf(); n != 0 {
		t.Fatalf("%d of S's deliveries still leased after the dispatcher stopped, want none", n)
	}
	if got := s.total.Load(); got != 16 {
		t.Fatalf("S was sent %d requests in all, want 16: those waiting at the gate go back unattempted", got)
	}
}

// TestMaxConcurrencyIsGlobalAcrossClaims: however many claims run, a
// webhook never has more leases live than its share allows: its
// maxConcurrency where several servers claim, twice that where one
// process dispatches (its gate holds the attempts to the share).
func TestMaxConcurrencyIsGlobalAcrossClaims(t *testing.T) {
	t.Parallel()
	e := setup(t)
	s := newHangingReceiver(t)
	e.hookFor(t, s.URL, []string{"flow.s"}, webhooks.Limits{MaxConcurrency: intp(3)}, 5)
	e.emitN(t, "flow.s", 20, e.clk.now())
	claimer := e.claimer()
	ctx := auth.System(context.Background())
	total := 0
	for range 5 {
		got, err := claimer.Claim(ctx, e.clk.now(), 100, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		total += len(got)
	}
	if want := outbound.Leasable(3); total != want {
		t.Fatalf("5 claims took %d deliveries, want %d for a share of 3", total, want)
	}
}

// TestRateLimitHeldOverTenSeconds: 50 attempts a second at most, over ten
// seconds, within 10%; the waiting uses no attempt. Not parallel: it
// measures real time, and the package's heavier tests would take its CPU.
func TestRateLimitHeldOverTenSeconds(t *testing.T) {
	if testing.Short() {
		t.Skip("ten seconds of real time; run without -short")
	}
	e := setup(t)
	var mu sync.Mutex
	var times []time.Time
	r := newReceiver(t, func(http.ResponseWriter, *http.Request) {
		mu.Lock()
		times = append(times, time.Now())
		mu.Unlock()
	})
	w := e.hookFor(t, r.URL, []string{"flow.r"}, webhooks.Limits{RateLimitPerSecond: intp(50)}, 5)
	e.emitN(t, "flow.r", 700, time.Now())

	d := e.dispatcher(t, func(c *outbound.Config) { c.Now = time.Now })
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = d.Run(ctx) }()
	time.Sleep(11 * time.Second)
	stop()
	<-done

	mu.Lock()
	defer mu.Unlock()
	if len(times) == 0 {
		t.Fatal("nothing delivered")
	}
	n := 0
	for _, at := range times {
		if at.Sub(times[0]) < 10*time.Second {
			n++
		}
	}
	t.Logf("%d attempts in the first 10 s at 50/s", n)
	if n < 450 || n > 550 {
		t.Fatalf("%d attempts in 10 s, want 500 ± 10%%", n)
	}
	sys := auth.System(context.Background())
	for _, dl := range e.db.Read.Delivery.Query().Where(delivery.WebhookID(w.ID)).AllX(sys) {
		if dl.Attempts > 1 {
			t.Fatalf("delivery %s has %d attempts: waiting must not be one", dl.ID, dl.Attempts)
		}
	}
}

// eventIDs reads the event id of each request r got, in order.
func eventIDs(t testing.TB, r *receiver) []string {
	t.Helper()
	var out []string
	for _, c := range r.got() {
		var env struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(c.body, &env); err != nil {
			t.Fatal(err)
		}
		out = append(out, env.ID)
	}
	return out
}

// TestShareHoldsAtTheReceiver: however quickly attempts end and wait for
// their batch to be recorded, a receiver never has more requests of a
// webhook open at once than its maxConcurrency.
func TestShareHoldsAtTheReceiver(t *testing.T) {
	t.Parallel()
	e := setup(t)
	var open, most atomic.Int32
	r := newReceiver(t, func(http.ResponseWriter, *http.Request) {
		n := open.Add(1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		time.Sleep(2 * time.Millisecond)
		open.Add(-1)
	})
	e.hookFor(t, r.URL, []string{"flow.c"}, webhooks.Limits{MaxConcurrency: intp(4)}, 5)
	e.emitN(t, "flow.c", 300, e.clk.now())
	d := e.dispatcher(t, nil)
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = d.Run(ctx) }()
	deadline := time.Now().Add(30 * time.Second)
	for len(r.got()) < 300 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	stop()
	<-done
	if n := len(r.got()); n != 300 {
		t.Fatalf("%d of 300 delivered", n)
	}
	if m := most.Load(); m > 4 || m < 2 {
		t.Fatalf("the receiver had %d requests open at most, want up to the share of 4 (and several)", m)
	}
}

// TestGateReleasesWhatWaitedPastItsStart: a delivery waiting at the gate
// behind its webhook's attempt is held by the dispatcher (Working), and
// once it has waited so long that its attempt could outlast its lease,
// it is released unattempted rather than sent: a new claim takes it.
func TestGateReleasesWhatWaitedPastItsStart(t *testing.T) {
	t.Parallel()
	if outbound.Leasable(1) == 1 {
		t.Skip("where several servers claim, a claim leases no more than the share: nothing waits at the gate")
	}
	e := setup(t)
	first, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	rcv := newReceiver(t, func(http.ResponseWriter, *http.Request) {
		once.Do(func() { close(first); <-release })
	})
	w := e.hookFor(t, rcv.URL, []string{"flow.g"}, webhooks.Limits{MaxConcurrency: intp(1)}, 5)
	e.emitN(t, "flow.g", 2, e.clk.now())
	claimer := &countingClaimer{Claimer: e.claimer()}
	d, err := outbound.New(outbound.Config{PollInterval: 10 * time.Millisecond, AllowPrivate: true, Now: e.clk.now},
		outbound.Deps{Writer: e.w, Read: e.db.Read, Dialect: e.db.Dialect, Secrets: e.svc.Secrets, Headers: e.svc.Headers,
			URL: e.svc.URL, Claimer: claimer})
	if err != nil {
		t.Fatal(err)
	}
	stop := run(t, d)
	defer stop()
	<-first // one attempt runs; the other delivery waits at the gate
	testkit.Eventually(t, "both deliveries leased", func() bool {
		n := 0
		for _, dl := range e.deliveriesOf(t, w.ID) {
			if dl.ClaimedUntil != nil {
				n++
			}
		}
		return n == 2
	})
	for _, dl := range e.deliveriesOf(t, w.ID) {
		if !d.Working(dl.ID) {
			t.Fatalf("delivery %s is not held by the dispatcher", dl.ID)
		}
	}
	e.clk.add(6 * time.Minute) // lease 10m, attempts up to 5m: it had to start within 5m
	close(release)
	testkit.Eventually(t, "both deliveries to succeed", func() bool {
		for _, dl := range e.deliveriesOf(t, w.ID) {
			if dl.Status != schematype.DeliverySucceeded {
				return false
			}
		}
		return true
	})
	if n := len(rcv.got()); n != 2 {
		t.Fatalf("the receiver got %d requests, want 2", n)
	}
	sent := rcv.got()[0].header.Get("Webhook-Id")
	var waited pulid.ID
	for _, dl := range e.deliveriesOf(t, w.ID) {
		if string(dl.EventID) != sent {
			waited = dl.ID
		}
		if logs := e.logs(t, dl.ID); len(logs) != 1 {
			t.Fatalf("delivery %s: %d attempts logged, want 1", dl.ID, len(logs))
		}
	}
	if r := claimer.releases(); len(r) == 0 || slices.ContainsFunc(r, func(id pulid.ID) bool { return id != waited }) {
		t.Fatalf("released %v, want just the waiting delivery %s", r, waited)
	}
}
