package outbound_test

import (
	"context"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/outbound"
	"github.com/wexio/webhooks/internal/outbox"
	"github.com/wexio/webhooks/internal/testkit"
	"github.com/wexio/webhooks/internal/webhooks"
)

func TestExpiredLeaseIsClaimedAgain(t *testing.T) {
	t.Parallel()
	e := setup(t)
	rcv := newReceiver(t, nil)
	e.hook(t, rcv.URL, nil, 5)
	em := e.emit(t)
	// A worker claims the delivery and dies without a word.
	got, err := e.claimer().Claim(auth.System(context.Background()), e.clk.now(), 10, 10*time.Minute)
	if err != nil || len(got) != 1 || got[0].Edges.Webhook == nil || got[0].Edges.Event == nil {
		t.Fatalf("claim: %v, %d rows", err, len(got))
	}
	d := e.dispatcher(t, nil)
	e.clk.add(9 * time.Minute)
	if n := e.once(t, d); n != 0 {
		t.Fatalf("claimed %d under a live lease", n)
	}
	e.clk.add(2 * time.Minute)
	if n := e.once(t, d); n != 1 || len(rcv.got()) != 1 {
		t.Fatalf("claimed %d after the lease expired", n)
	}
	if dl := e.delivery(t, em.Deliveries[0].ID); dl.Status != schematype.DeliverySucceeded {
		t.Fatalf("delivery = %+v", dl)
	}
}

// TestClaimCutShortByShutdownLeavesNoLease: a stop that cancels a claim
// after its leases were written must not leave them standing on rows no
// worker got: the claim hands them out (the stopping queue then releases
// them) instead of waiting out a 10-minute lease.
func TestClaimCutShortByShutdownLeavesNoLease(t *testing.T) {
	t.Parallel()
	e := setup(t)
	rcv := newReceiver(t, nil)
	e.hook(t, rcv.URL, nil, 5)
	id := e.emit(t).Deliveries[0].ID
	ctx, stop := context.WithCancel(auth.System(context.Background()))
	// Shutdown arrives once the lease is written, before the claim returns.
	e.db.Write.Delivery.Use(func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			v, err := next.Mutate(ctx, m)
			if dm, ok := m.(*ent.DeliveryMutation); ok {
				if _, leasing := dm.ClaimedUntil(); leasing {
					stop()
				}
			}
			return v, err
		})
	})
	got, err := e.claimer().Claim(ctx, e.clk.now(), 10, 10*time.Minute)
	dl := e.delivery(t, id)
	switch {
	case err == nil && (len(got) != 1 || got[0].ID != id || got[0].Edges.Event == nil):
		t.Fatalf("claim returned %d rows", len(got))
	case err != nil && dl.ClaimedUntil != nil:
		t.Fatalf("claim failed (%v) and left the lease standing: %+v", err, dl)
	case err == nil && dl.ClaimedUntil == nil:
		t.Fatalf("claim handed out a delivery it did not lease: %+v", dl)
	}
}

func TestCrashRestartDeliversClaimedWork(t *testing.T) {
	t.Parallel()
	e := setup(t)
	rcv := newReceiver(t, nil)
	e.hook(t, rcv.URL, nil, 5)
	em := e.emit(t)
	if _, err := e.claimer().Claim(auth.System(context.Background()), e.clk.now(), 10, 10*time.Minute); err != nil {
		t.Fatal(err)
	}
	// The process dies; a new one opens the same file later.
	_ = e.db.Close()
	e.open(t)
	e.clk.add(11 * time.Minute)
	if n := e.once(t, e.dispatcher(t, nil)); n != 1 {
		t.Fatalf("restarted dispatcher claimed %d", n)
	}
	if dl := e.delivery(t, em.Deliveries[0].ID); dl.Status != schematype.DeliverySucceeded || len(rcv.got()) != 1 {
		t.Fatalf("delivery = %+v", dl)
	}
}

func TestPausedWebhookHoldsDeliveries(t *testing.T) {
	t.Parallel()
	e := setup(t)
	rcv := newReceiver(t, nil)
	wh := e.hook(t, rcv.URL, nil, 5)
	if _, err := e.svc.SetStatus(e.ctx, e.db.Write, wh.ID, schematype.WebhookPaused); err != nil {
		t.Fatal(err)
	}
	e.emit(t)
	// Held, not due: the claim must not find (and rescan) it at all.
	if dl := e.db.Read.Delivery.Query().OnlyX(e.ctx); dl.NextAttemptAt != nil {
		t.Fatalf("a paused webhook's delivery is due at %v", dl.NextAttemptAt)
	}
	d := e.dispatcher(t, nil)
	if n := e.once(t, d); n != 0 {
		t.Fatalf("claimed %d for a paused webhook", n)
	}
	// Pausing holds what was already due too.
	for _, st := range []schematype.WebhookStatus{schematype.WebhookActive, schematype.WebhookPaused} {
		if _, err := e.svc.SetStatus(e.ctx, e.db.Write, wh.ID, st); err != nil {
			t.Fatal(err)
		}
	}
	if dl := e.db.Read.Delivery.Query().OnlyX(e.ctx); dl.NextAttemptAt != nil {
		t.Fatalf("pausing left a delivery due at %v", dl.NextAttemptAt)
	}
	if _, err := e.svc.SetStatus(e.ctx, e.db.Write, wh.ID, schematype.WebhookActive); err != nil {
		t.Fatal(err)
	}
	if n := e.once(t, d); n != 1 {
		t.Fatalf("claimed %d after resuming", n)
	}
}

// run starts d.Run and returns a stop func that waits for it.
func run(t *testing.T, d *outbound.Dispatcher) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = d.Run(ctx); close(done) }()
	return func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("Run did not return")
		}
	}
}

func TestRunDeliversOnNotifyAndFinishesInFlightOnStop(t *testing.T) {
	t.Parallel()
	e := setup(t)
	started := make(chan struct{}, 10)
	rcv := newReceiver(t, func(http.ResponseWriter, *http.Request) {
		started <- struct{}{}
		time.Sleep(100 * time.Millisecond)
	})
	e.hook(t, rcv.URL, nil, 5)
	// A long poll interval: only Notify can make this prompt.
	d := e.dispatcher(t, func(c *outbound.Config) { c.PollInterval = time.Hour })
	stop := run(t, d)
	em := e.emit(t)
	d.Notify()
	<-started
	stop() // the attempt in flight finishes within ShutdownTimeout
	if dl := e.delivery(t, em.Deliveries[0].ID); dl.Status != schematype.DeliverySucceeded {
		t.Fatalf("delivery = %+v", dl)
	}
}

func TestShutdownReleasesLeasesItCannotFinish(t *testing.T) {
	t.Parallel()
	e := setup(t)
	started := make(chan struct{}, 10)
	rcv := newReceiver(t, func(_ http.ResponseWriter, r *http.Request) {
		started <- struct{}{}
		<-r.Context().Done()
	})
	e.hook(t, rcv.URL, nil, 5)
	d := e.dispatcher(t, func(c *outbound.Config) { c.ShutdownTimeout = 50 * time.Millisecond })
	stop := run(t, d)
	em := e.emit(t)
	d.Notify()
	<-started
	stop()
	dl := e.delivery(t, em.Deliveries[0].ID)
	if dl.Status != schematype.DeliveryPending || dl.ClaimedUntil != nil || dl.Attempts != 0 || len(e.logs(t, dl.ID)) != 0 {
		t.Fatalf("delivery = %+v", dl)
	}
}

// countingClaimer records which deliveries were handed back.
type countingClaimer struct {
	outbound.Claimer
	mu       sync.Mutex
	released []pulid.ID
}

func (c *countingClaimer) Release(ctx context.Context, ids []pulid.ID) error {
	c.mu.Lock()
	c.released = append(c.released, ids...)
	c.mu.Unlock()
	return c.Claimer.Release(ctx, ids)
}

func (c *countingClaimer) releases() []pulid.ID {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]pulid.ID(nil), c.released...)
}

// TestQueuedDeliveryPastItsStartIsReleased: a claimed delivery that waited
// in the queue until its lease could run out during an attempt is handed
// back and claimed afresh, not attempted under the old lease.
func TestQueuedDeliveryPastItsStartIsReleased(t *testing.T) {
	t.Parallel()
	e := setup(t)
	first, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	rcv := newReceiver(t, func(http.ResponseWriter, *http.Request) {
		once.Do(func() { close(first); <-release })
	})
	e.hook(t, rcv.URL, nil, 5)
	a, b := e.emit(t).Deliveries[0], e.emit(t).Deliveries[0]
	claimer := &countingClaimer{Claimer: e.claimer()}
	d, err := outbound.New(outbound.Config{Workers: 1, BatchSize: 2, PollInterval: 10 * time.Millisecond,
		AllowPrivate: true, Version: "test", Now: e.clk.now},
		outbound.Deps{Writer: e.w, Read: e.db.Read, Dialect: e.db.Dialect, Secrets: e.svc.Secrets, Headers: e.svc.Headers, URL: e.svc.URL, Publisher: e.pub, Claimer: claimer})
	if err != nil {
		t.Fatal(err)
	}
	stop := run(t, d)
	defer stop()
	<-first                    // the one worker holds the first delivery; the other waits in the queue
	e.clk.add(6 * time.Minute) // lease 10m, attempts up to 5m: it had to start within 5m
	close(release)
	testkit.Eventually(t, "both deliveries to succeed", func() bool {
		return e.delivery(t, a.ID).Status == schematype.DeliverySucceeded &&
			e.delivery(t, b.ID).Status == schematype.DeliverySucceeded
	})
	waited := b.ID
	if got := rcv.got(); len(got) == 2 && got[0].header.Get("Webhook-Id") != string(a.EventID) {
		waited = a.ID // the claim's order decided which one waited
	}
	// A claim that read the clock before it moved and ran after the
	// release (PostgreSQL's take longer) takes the waiting delivery again,
	// to start by a time already past, and hands it back once more: the
	// waiting delivery may be released more than once, the other never.
	r := claimer.releases()
	if len(r) == 0 || slices.ContainsFunc(r, func(id pulid.ID) bool { return id != waited }) {
		t.Fatalf("released %v, want just the waiting delivery %s", r, waited)
	}
	for _, id := range []pulid.ID{a.ID, b.ID} {
		if logs := e.logs(t, id); len(logs) != 1 || !logs[0].OccurredAt.Equal(e.clk.now()) && id == waited {
			t.Fatalf("delivery %s: %d attempts logged (%+v)", id, len(logs), logs)
		}
	}
}

// changingClaimer changes a webhook right after claiming, as a user might
// while the claimed deliveries wait in the dispatcher's queue.
type changingClaimer struct {
	outbound.Claimer
	change func()
}

func (c *changingClaimer) Claim(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]*ent.Delivery, error) {
	got, err := c.Claimer.Claim(ctx, now, limit, lease)
	if len(got) > 0 {
		c.change()
	}
	return got, err
}

// changingDispatcher is a dispatcher whose claims are followed by change,
// with the subscriptions cache the server gives it.
func (e *env) changingDispatcher(t *testing.T, change func()) (*outbound.Dispatcher, *changingClaimer) {
	t.Helper()
	subs := outbox.NewSubscriptions(e.db.Read, time.Hour)
	e.db.Write.Webhook.Use(subs.Hook())
	claimer := &changingClaimer{Claimer: e.claimer(), change: change}
	d, err := outbound.New(outbound.Config{AllowPrivate: true, Now: e.clk.now},
		outbound.Deps{Writer: e.w, Read: e.db.Read, Dialect: e.db.Dialect, Secrets: e.svc.Secrets, Headers: e.svc.Headers, URL: e.svc.URL, Claimer: claimer, Subscriptions: subs})
	if err != nil {
		t.Fatal(err)
	}
	return d, claimer
}

// TestWebhookChangedAfterTheClaim: a delivery waiting in the queue is
// attempted with its webhook as it is when the attempt starts: the new
// URL, the new signing secrets, the new static headers.
func TestWebhookChangedAfterTheClaim(t *testing.T) {
	t.Parallel()
	e := setup(t)
	before, after := newReceiver(t, nil), newReceiver(t, nil)
	old, next := testSecret(4), testSecret(5)
	wh := e.hook(t, before.URL, &webhooks.OutboundAuthInput{Mode: schematype.OutboundHMAC, Secret: &old}, 5)
	em := e.emit(t)
	d, _ := e.changingDispatcher(t, func() {
		url := after.URL
		if _, err := e.svc.Update(e.ctx, e.db.Write, wh.ID, webhooks.UpdateInput{
			URL: &url, Headers: map[string]any{"X-Moved": "yes"},
		}); err != nil {
			t.Error(err)
		}
		if _, _, err := e.svc.Rotate(e.ctx, e.db.Write, wh.ID, 0, &next); err != nil {
			t.Error(err)
		}
	})
	if n := e.once(t, d); n != 1 {
		t.Fatalf("claimed %d, want 1", n)
	}
	if n := len(before.got()); n != 0 {
		t.Fatalf("the old URL got %d requests", n)
	}
	got := after.got()
	if len(got) != 1 {
		t.Fatalf("the new URL got %d requests, want 1", len(got))
	}
	r := got[0]
	if r.header.Get("X-Moved") != "yes" {
		t.Errorf("headers %v lack the new static header", r.header)
	}
	verify(t, next, string(em.Event.ID), r.header.Get("Webhook-Timestamp"), r.body, r.header.Get("Webhook-Signature"))
	if logs := e.logs(t, em.Deliveries[0].ID); len(logs) != 1 || logs[0].Request.URL != after.URL {
		t.Fatalf("logged %+v, want one attempt to %s", logs, after.URL)
	}
}

func TestWebhookPausedAfterTheClaimGetsNoAttempt(t *testing.T) {
	t.Parallel()
	e := setup(t)
	rcv := newReceiver(t, nil)
	wh := e.hook(t, rcv.URL, nil, 5)
	em := e.emit(t)
	d, claimer := e.changingDispatcher(t, func() {
		if _, err := e.svc.SetStatus(e.ctx, e.db.Write, wh.ID, schematype.WebhookPaused); err != nil {
			t.Error(err)
		}
	})
	if n := e.once(t, d); n != 1 {
		t.Fatalf("claimed %d, want 1", n)
	}
	if got := len(rcv.got()); got != 0 {
		t.Fatalf("a webhook paused after the claim got %d requests", got)
	}
	dl := e.delivery(t, em.Deliveries[0].ID)
	if dl.Status != schematype.DeliveryPending || dl.Attempts != 0 || dl.ClaimedUntil != nil || dl.NextAttemptAt != nil {
		t.Fatalf("delivery after the skipped attempt = %+v, want pending, held, no lease", dl)
	}
	// Resumed, it is delivered.
	claimer.change = func() {}
	if _, err := e.svc.SetStatus(e.ctx, e.db.Write, wh.ID, schematype.WebhookActive); err != nil {
		t.Fatal(err)
	}
	if n := e.once(t, d); n != 1 || len(rcv.got()) != 1 {
		t.Fatalf("after resuming: claimed %d, %d requests", n, len(rcv.got()))
	}
}

func TestNewRefusesNegativeSettings(t *testing.T) {
	t.Parallel()
	e := setup(t)
	deps := outbound.Deps{Writer: e.w, Read: e.db.Read, Dialect: e.db.Dialect, Claimer: e.claimer(), Secrets: e.svc.Secrets, Headers: e.svc.Headers, URL: e.svc.URL}
	for _, cfg := range []outbound.Config{{Timeout: -time.Second}, {Workers: -1}} {
		if _, err := outbound.New(cfg, deps); err == nil {
			t.Errorf("New accepted %+v", cfg)
		}
	}
	if _, err := outbound.New(outbound.Config{}, deps); err != nil {
		t.Fatalf("zero Config (all defaults): %v", err)
	}
}
