package outbound_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/webhooklog"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/db"
	"github.com/wexio/webhooks/internal/db/dbtest"
	"github.com/wexio/webhooks/internal/history"
	"github.com/wexio/webhooks/internal/outbound"
	"github.com/wexio/webhooks/internal/outbox"
	"github.com/wexio/webhooks/internal/secretbox"
	"github.com/wexio/webhooks/internal/store"
	"github.com/wexio/webhooks/internal/testkit"
	"github.com/wexio/webhooks/internal/webhooks"
)

// clock is the injected clock (testkit's, under this package's names);
// Run tests read it from other goroutines.
type clock struct{ *testkit.Clock }

func (c clock) now() time.Time      { return c.Now() }
func (c clock) add(d time.Duration) { c.Advance(d) }

// published records what the dispatcher hands to live tail.
type published struct {
	mu   sync.Mutex
	rows []*ent.WebhookLog
}

func (p *published) Publish(rows ...*ent.WebhookLog) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rows = append(p.rows, rows...)
}

func (p *published) len() int { p.mu.Lock(); defer p.mu.Unlock(); return len(p.rows) }

type env struct {
	t   *testing.T
	url string // the database, reopened after a simulated crash
	db  *store.Store
	w   store.Writer
	svc *webhooks.Service
	ctx context.Context // scoped to the workspace, as a resolver's
	clk *clock
	pub *published
}

func setup(t testing.TB) *env {
	t.Helper()
	ctx := context.Background()
	e := &env{url: dbtest.URL(t), pub: &published{}}
	e.clk = &clock{testkit.NewClock(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC))}
	e.open(t)
	a := auth.NewService(e.db.Read, e.db.Write)
	_, key, err := a.CreateWorkspace(ctx, "W")
	if err != nil {
		t.Fatal(err)
	}
	if e.ctx, err = a.Authenticate(ctx, key); err != nil {
		t.Fatal(err)
	}
	box, _ := secretbox.New(bytes.Repeat([]byte{1}, secretbox.KeySize))
	cfg := webhooks.Config{PublicURL: "https://h.example", MaxRetries: 5, TimeoutSeconds: 15, AllowPrivateNetworks: true}
	e.svc = webhooks.NewService(cfg, box, e.clk.now)
	return e
}

// open opens the database and a writer over it (again after a simulated
// crash).
func (e *env) open(t testing.TB) {
	d, err := db.Open(context.Background(), e.url, store.Options{Migrations: []store.Migration{history.MigrateCounters}})
	if err != nil {
		t.Fatal(err)
	}
	e.db, e.w = d, d.Writer
	t.Cleanup(func() { _ = d.Close() })
}

// dispatcher returns a dispatcher on the test clock with a fixed schedule:
// retries after 1m, 5m, 25m, ... without jitter.
func (e *env) dispatcher(t testing.TB, tweak func(*outbound.Config)) *outbound.Dispatcher {
	t.Helper()
	cfg := outbound.Config{
		Backoff:      outbound.Backoff{Base: time.Minute, Factor: 5, Max: 24 * time.Hour},
		AllowPrivate: true, Version: "test", Now: e.clk.now,
	}
	if tweak != nil {
		tweak(&cfg)
	}
	d, err := outbound.New(cfg, outbound.Deps{Writer: e.w, Read: e.db.Read, Dialect: e.db.Dialect, Claimer: e.claimer(), Secrets: e.svc.Secrets, Headers: e.svc.Headers, URL: e.svc.URL, Publisher: e.pub})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// hook creates an outbound webhook for every event type.
func (e *env) hook(t testing.TB, url string, a *webhooks.OutboundAuthInput, retries int) *ent.Webhook {
	t.Helper()
	w, _, err := e.svc.CreateOutbound(e.ctx, e.db.Write, webhooks.CreateOutboundInput{
		Name: "out", URL: url, Events: []string{"*"}, Auth: a, MaxRetries: &retries,
	})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// emit writes one contact.created event and returns its deliveries.
func (e *env) emit(t testing.TB) *outbox.Emitted {
	t.Helper()
	em, err := outbox.Emit(e.ctx, e.db.Write, "contact.created", map[string]any{"id": "ct_1", "name": "Ada <&>"}, e.clk.now())
	if err != nil {
		t.Fatal(err)
	}
	return em
}

func (e *env) once(t testing.TB, d *outbound.Dispatcher) int {
	t.Helper()
	n, err := d.Once(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func (e *env) delivery(t testing.TB, id pulid.ID) *ent.Delivery {
	t.Helper()
	return e.db.Read.Delivery.GetX(auth.System(context.Background()), id)
}

// logs returns the attempt rows of a delivery, first attempt first.
func (e *env) logs(t testing.TB, id pulid.ID) []*ent.WebhookLog {
	t.Helper()
	return e.db.Read.WebhookLog.Query().Where(webhooklog.DeliveryID(id)).
		Order(ent.Asc(webhooklog.FieldAttempt)).AllX(auth.System(context.Background()))
}

// captured is one request a receiver got.
type captured struct {
	header http.Header
	body   []byte
	url    string // as requested: path and query
}

// receiver is a real HTTP server that records requests and answers with
// handler (200 when nil).
type receiver struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []captured
}

func newReceiver(t testing.TB, handler http.HandlerFunc) *receiver {
	r := &receiver{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.reqs = append(r.reqs, captured{header: req.Header.Clone(), body: body, url: req.URL.RequestURI()})
		r.mu.Unlock()
		if handler != nil {
			handler(w, req)
		}
	}))
	t.Cleanup(r.Close)
	return r
}

// newStatusReceiver is a receiver answering with status, which the test
// can change between attempts.
func newStatusReceiver(t testing.TB, first int) (*receiver, *atomic.Int32) {
	status := new(atomic.Int32)
	status.Store(int32(first))
	return newReceiver(t, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(int(status.Load())) }), status
}

func (r *receiver) got() []captured {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]captured(nil), r.reqs...)
}

// claimer is a dispatcher's claimer over e's store.
func (e *env) claimer() outbound.Claimer {
	return outbound.NewClaimer(e.db.Claimer(outbound.Deliveries), e.db.Read, e.db.Dialect)
}
