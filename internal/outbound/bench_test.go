package outbound_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/delivery"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/egress"
	"github.com/wexio/webhooks/internal/events"
	"github.com/wexio/webhooks/internal/gctune"
	"github.com/wexio/webhooks/internal/outbound"
	"github.com/wexio/webhooks/internal/outbox"
	"github.com/wexio/webhooks/internal/signing"
	"github.com/wexio/webhooks/internal/webhooks"
)

// benchWorkers is the concurrency of both sides.
const benchWorkers = 64

var benchData = []byte(`{"id":"ct_1","name":"Ada Lovelace","email":"ada@example.com","phone":"+441234567890"}`)

// BenchmarkDispatch measures deliveries per second to a local receiver,
// signed and recorded, against a plain http.Client posting the same signed
// requests (made once) with the same concurrency. Its sub-benchmarks:
// dispatcher (ours, dispatcher_query with a query in the URL,
// dispatcher_share16 at the default share of 16 rather than 256), lean (a
// dispatcher of the same design in plain SQL on one SQLite connection,
// lean_bench_test.go: what our layers cost over it), lean_reading_events
// (the same, reading the event each attempt sends, as ours does),
// lean_contract (reading events, with the indexes and counters the
// contract's reads need: the most any dispatcher keeping the contract can
// do on this design), lean_contract_our_rows (the same, its rows stored as
// ours: text times, created and updated times, foreign keys),
// lean_contract_our_rows_shares (and claiming as fair shares need: due
// rows, then their webhooks' shares and attempts in flight, then the lease
// by id), attempts_only and plain_client. attempts_only is the dispatcher's attempts
// (signing, sending, judging, building the history row) without claims or
// writes: the share of the gap the database work accounts for.
//
//	go test ./internal/outbound/ -run '^$' -bench Dispatch -benchtime 20000x
func BenchmarkDispatch(b *testing.B) {
	defer debug.SetGCPercent(gctune.Apply(os.LookupEnv)) // as the server's main does, for both sides
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	b.Run("dispatcher", func(b *testing.B) { benchDispatcher(b, srv.URL, webhooks.MaxConcurrencyLimit) })
	b.Run("lean", func(b *testing.B) { benchLean(b, srv.URL, leanOpts{}) })
	// The lean one reading the event it sends, as ours does.
	b.Run("lean_reading_events", func(b *testing.B) { benchLean(b, srv.URL, leanOpts{events: true}) })
	// The lean one with what the contract's reads need: an upper bound for
	// any dispatcher that keeps the contract.
	b.Run("lean_contract", func(b *testing.B) { benchLean(b, srv.URL, leanOpts{contract: true}) })
	// And with its rows stored as ours: text times, created and updated
	// times, foreign keys.
	b.Run("lean_contract_our_rows", func(b *testing.B) { benchLean(b, srv.URL, leanOpts{contract: true, oursRows: true}) })
	// And with claims that share out among webhooks, the least ours must do.
	b.Run("lean_contract_our_rows_shares", func(b *testing.B) {
		benchLean(b, srv.URL, leanOpts{contract: true, oursRows: true, shares: true})
	})
	// A query's values are sealed: each attempt opens the whole URL.
	b.Run("dispatcher_query", func(b *testing.B) { benchDispatcher(b, srv.URL+"/?api_key=k3y&x=1", webhooks.MaxConcurrencyLimit) })
	// The default share: 16 attempts at once, one webhook alone.
	b.Run("dispatcher_share16", func(b *testing.B) { benchDispatcher(b, srv.URL, 0) })
	b.Run("attempts_only", func(b *testing.B) { benchAttemptsOnly(b, srv.URL) })
	b.Run("plain_client", func(b *testing.B) { benchPlain(b, srv.URL) })
}

// countTo closes done once n rows were published.
type countTo struct {
	n, seen atomic.Int64
	done    chan struct{}
}

func (c *countTo) Publish(rows ...*ent.WebhookLog) {
	if c.seen.Add(int64(len(rows))) == c.n.Load() {
		close(c.done)
	}
}

// benchDispatcher measures the dispatcher's deliveries to one webhook of
// maxConcurrency share (0: the default).
func benchDispatcher(b *testing.B, url string, share int) {
	var limits webhooks.Limits
	if share > 0 {
		limits.MaxConcurrency = intp(share)
	}
	e := setup(b)
	secret := testSecret(3)
	// One webhook may use every worker: the dispatcher's throughput, not a
	// webhook's share, is measured (BenchmarkFairShare measures shares).
	wh, _, err := e.svc.CreateOutbound(e.ctx, e.db.Write, webhooks.CreateOutboundInput{
		Name: "out", URL: url, Events: []string{"*"}, Auth: &webhooks.OutboundAuthInput{Mode: schematype.OutboundHMAC, Secret: &secret},
		Limits: limits,
	})
	if err != nil {
		b.Fatal(err)
	}
	seed(b, e, wh, b.N)
	pub := &countTo{done: make(chan struct{})}
	pub.n.Store(int64(b.N))
	subs := outbox.NewSubscriptions(e.db.Read, 5*time.Second) // as the server wires it
	e.db.Write.Webhook.Use(subs.Hook())
	d, err := outbound.New(outbound.Config{Workers: benchWorkers, Now: e.clk.now},
		outbound.Deps{Writer: e.w, Read: e.db.Read, Dialect: e.db.Dialect, Claimer: e.claimer(), Secrets: e.svc.Secrets, Headers: e.svc.Headers, URL: e.svc.URL, Publisher: pub, Subscriptions: subs,
			Client: egress.NewHTTPClient(true, outbound.MaxAttemptTimeout)})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	b.ResetTimer()
	reportCPU := startCPU(b)
	go func() { _ = d.Run(ctx); close(stopped) }()
	<-pub.done
	b.StopTimer()
	reportCPU()
	cancel()
	<-stopped
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "deliveries/s")
}

// seed writes n events and their pending deliveries, in bulk.
func seed(b *testing.B, e *env, wh *ent.Webhook, n int) {
	ctx := auth.System(context.Background())
	for done := 0; done < n; {
		k := min(500, n-done)
		evs := make([]*ent.EventCreate, k)
		for i := range evs {
			evs[i] = e.db.Write.Event.Create().SetWorkspaceID(wh.WorkspaceID).
				SetType(events.ContactCreated).SetOccurredAt(e.clk.now()).SetData(benchData)
		}
		saved := e.db.Write.Event.CreateBulk(evs...).SaveX(ctx)
		dls := make([]*ent.DeliveryCreate, k)
		for i, ev := range saved {
			dls[i] = e.db.Write.Delivery.Create().SetWorkspaceID(wh.WorkspaceID).
				SetEventID(ev.ID).SetWebhookID(wh.ID).SetNextAttemptAt(e.clk.now())
		}
		e.db.Write.Delivery.CreateBulk(dls...).ExecX(ctx)
		done += k
	}
}

func benchAttemptsOnly(b *testing.B, url string) {
	e := setup(b)
	secret := testSecret(3)
	wh := e.hook(b, url, &webhooks.OutboundAuthInput{Mode: schematype.OutboundHMAC, Secret: &secret}, 5)
	seed(b, e, wh, b.N)
	ctx := auth.System(context.Background())
	var dls []*ent.Delivery
	for len(dls) < b.N {
		page := e.db.Read.Delivery.Query().Order(ent.Asc(delivery.FieldID)).Offset(len(dls)).Limit(5000).
			WithWebhook().WithEvent().AllX(ctx)
		dls = append(dls, page...)
	}
	d, err := outbound.New(outbound.Config{Workers: benchWorkers, Now: e.clk.now},
		outbound.Deps{Writer: e.w, Read: e.db.Read, Dialect: e.db.Dialect, Claimer: e.claimer(), Secrets: e.svc.Secrets, Headers: e.svc.Headers, URL: e.svc.URL,
			Client: egress.NewHTTPClient(true, outbound.MaxAttemptTimeout)})
	if err != nil {
		b.Fatal(err)
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	reportCPU := startCPU(b)
	for range benchWorkers {
		wg.Go(func() {
			for i := next.Add(1); i <= int64(b.N); i = next.Add(1) {
				if ok, err := d.AttemptOnly(ctx, dls[i-1]); !ok || err != nil {
					b.Errorf("attempt failed: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	reportCPU()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "deliveries/s")
}

func benchPlain(b *testing.B, url string) {
	// The same request the dispatcher sends: envelope, signature and
	// headers, made once up front, so this side measures only the posting.
	at := time.Now()
	body, _ := events.Envelope{ID: "evt_1", Type: events.ContactCreated, Timestamp: at, Data: benchData}.Marshal()
	sig, err := signing.Sign([]string{testSecret(3)}, "evt_1", at, body)
	if err != nil {
		b.Fatal(err)
	}
	header := http.Header{
		"Content-Type": {"application/json"}, "User-Agent": {"wexio-webhooks/dev"}, "Webhook-Id": {"evt_1"},
		"Webhook-Timestamp": {strconv.FormatInt(at.Unix(), 10)}, "Webhook-Signature": {sig},
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 64}}
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	reportCPU := startCPU(b)
	for range benchWorkers {
		wg.Go(func() {
			for next.Add(1) <= int64(b.N) {
				req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
				if err != nil {
					b.Error(err)
					return
				}
				req.Header = header // only read by the transport
				resp, err := client.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	reportCPU()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "deliveries/s")
}

// startCPU and reportCPU report the cores a run kept busy: a path that
// uses fewer than the machine has is waiting on something, not computing.
//
// With WEXIO_BENCH_CPUPROFILE set to a file name, the timed part alone is
// profiled into it (go test's -cpuprofile also takes in the seeding):
//
//	WEXIO_BENCH_CPUPROFILE=/tmp/d.prof go test ./internal/outbound/ -run '^$' -bench 'Dispatch/dispatcher$' -benchtime 20000x
func startCPU(b *testing.B) func() {
	stopProfile := profileTimed(b)
	start := cpuTime()
	return func() {
		b.ReportMetric(float64(cpuTime()-start)/float64(b.Elapsed()), "cores")
		stopProfile()
	}
}

// profileTimed starts the CPU profile WEXIO_BENCH_CPUPROFILE names, if
// any, and returns what stops it.
func profileTimed(b *testing.B) func() {
	name := os.Getenv("WEXIO_BENCH_CPUPROFILE")
	if name == "" {
		return func() {}
	}
	f, err := os.Create(name)
	if err != nil {
		b.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		b.Fatal(err)
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			b.Error(err)
		}
	}
}

// BenchmarkFairShare: receiver S hangs every request until the end, F
// answers at once; 2,000 events are queued for S, then b.N for F. It
// reports F's deliveries a second and the time from F's first event being
// due to each delivery (p50, p99), while S holds its share of 16.
//
//	go test ./internal/outbound/ -run '^$' -bench FairShare -benchtime 2000x
func BenchmarkFairShare(b *testing.B) {
	defer debug.SetGCPercent(gctune.Apply(os.LookupEnv))
	e := setup(b)
	s := newHangingReceiver(b)
	var mu sync.Mutex
	var arrived []time.Time
	f := newReceiver(b, func(http.ResponseWriter, *http.Request) {
		mu.Lock()
		arrived = append(arrived, time.Now())
		mu.Unlock()
	})
	e.hookFor(b, s.URL, []string{"flow.s"}, webhooks.Limits{}, 5)
	e.hookFor(b, f.URL, []string{"flow.f"}, webhooks.Limits{MaxConcurrency: intp(webhooks.MaxConcurrencyLimit)}, 5)
	e.emitN(b, "flow.s", 2000, e.clk.now())
	d := e.dispatcher(b, func(c *outbound.Config) { c.Workers = benchWorkers; c.ShutdownTimeout = 100 * time.Millisecond })
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { _ = d.Run(ctx); close(stopped) }()
	for s.now.Load() < 16 { // S saturated first
		time.Sleep(time.Millisecond)
	}
	b.ResetTimer()
	began := time.Now()
	e.emitN(b, "flow.f", b.N, e.clk.now())
	d.Notify()
	for {
		mu.Lock()
		n := len(arrived)
		mu.Unlock()
		if n >= b.N {
			break
		}
		time.Sleep(time.Millisecond)
	}
	b.StopTimer()
	cancel()
	s.unblock()
	<-stopped
	lat := make([]time.Duration, len(arrived))
	for i, at := range arrived {
		lat[i] = at.Sub(began)
	}
	slices.Sort(lat)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "deliveries/s")
	b.ReportMetric(float64(lat[len(lat)/2].Milliseconds()), "p50_ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Milliseconds()), "p99_ms")
	b.ReportMetric(float64(s.most.Load()), "S_in_flight")
}
