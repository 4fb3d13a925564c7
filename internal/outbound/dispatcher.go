package outbound

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/egress"
	"github.com/wexio/webhooks/internal/livetail"
	"github.com/wexio/webhooks/internal/store"
	"github.com/wexio/webhooks/internal/workqueue"
)

// MaxAttemptTimeout bounds one attempt whatever a webhook asks for; the
// webhook API allows up to 300 s.
const MaxAttemptTimeout = 5 * time.Minute

// Config tunes the dispatcher. Zero fields take the defaults noted.
type Config struct {
	Workers         int           // attempts in flight at most; 256 (receivers are slow, goroutines cheap)
	Lease           time.Duration // how long a claim holds; 10m, above MaxAttemptTimeout
	PollInterval    time.Duration // fallback wake-up when nobody calls Notify; 1s
	BatchSize       int           // claimed deliveries queued ahead of the workers, and per claim, at most; 4·Workers
	Backoff         Backoff       // the retry schedule
	MaxRetries      int           // used when a webhook's own is negative
	Timeout         time.Duration // when a webhook has no timeout_seconds; 15s
	ShutdownTimeout time.Duration // how long Run waits for in-flight attempts on stop; 10s
	AllowPrivate    bool          // WEXIO_ALLOW_PRIVATE_NETWORKS
	DisableAfter    time.Duration // FAILING this long disables a webhook (WEXIO_OUTBOUND_DISABLE_AFTER); 120h
	SweepInterval   time.Duration // how often Sweep runs; 1m
	Version         string        // in the User-Agent: wexio-webhooks/<version>
	Now             func() time.Time
	Log             *slog.Logger
}

func (c *Config) defaults() {
	c.Workers = cmp.Or(c.Workers, 256)
	c.Lease = cmp.Or(c.Lease, 10*time.Minute)
	c.PollInterval = cmp.Or(c.PollInterval, time.Second)
	// Enough queued to keep the workers busy while the next claim waits its
	// turn at the writer behind a batch of attempt rows (BenchmarkDispatch,
	// 64 workers: 16.4-17.6k/s queueing 256-1024 ahead, 14-15k/s at 64).
	c.BatchSize = cmp.Or(c.BatchSize, 4*c.Workers)
	c.Timeout = cmp.Or(c.Timeout, 15*time.Second)
	c.ShutdownTimeout = cmp.Or(c.ShutdownTimeout, 10*time.Second)
	c.DisableAfter = cmp.Or(c.DisableAfter, 120*time.Hour)
	c.SweepInterval = cmp.Or(c.SweepInterval, time.Minute)
	if c.Version == "" {
		c.Version = "dev"
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
}

// Deps are the dispatcher's collaborators.
type Deps struct {
	Writer  store.Writer                         // every write goes through it
	Read    *ent.Client                          // the read pool: the claimer loads claimed deliveries from it
	Claimer Claimer                              // NewClaimer over the store's claimer of Deliveries
	Secrets func(*ent.Webhook) ([]string, error) // webhooks.Service.Secrets
	// Headers opens a webhook's static headers (webhooks.Service.Headers:
	// values not on the harmless list are stored sealed).
	Headers func(*ent.Webhook) (map[string]string, error)
	// URL opens the whole URL of a webhook (webhooks.Service.URL: the url
	// column shows its query values redacted, the whole one is sealed).
	URL       func(*ent.Webhook) (string, error)
	Publisher livetail.Publisher[*ent.WebhookLog] // may be nil
	Client    *http.Client                        // nil: egress.NewHTTPClient(AllowPrivate, MaxAttemptTimeout)
	// Subscriptions, when set, gives each attempt its webhook as it is
	// then: deliveries wait in the claimed queue, and a webhook changed,
	// paused or disabled meanwhile must be attempted accordingly.
	Subscriptions Webhooks
	// Dialect is Writer's database's SQL dialect (store.Store.Dialect),
	// for the attempt rows' own INSERT (history.InsertLogs); "" is
	// SQLite's.
	Dialect string
	// Observer, when set, is told of each attempt once it is recorded
	// (metrics).
	Observer Observer
}

// Observer is told of each attempt recorded: its log outcome, the
// answer's status (0 for none) and how long it took.
type Observer interface {
	Attempt(outcome schematype.LogOutcome, status int, took time.Duration)
}

// Webhooks gives an attempt its webhook as it is now: nil when it gets no
// deliveries any more, ok false when it cannot tell (outbox.Subscriptions).
type Webhooks interface {
	Webhook(ctx context.Context, ws string, id pulid.ID) (w *ent.Webhook, ok bool)
}

// Dispatcher claims due deliveries and attempts them, recording each
// attempt and scheduling what follows.
type Dispatcher struct {
	cfg       Config
	deps      Deps
	ua        string
	queue     *workqueue.Queue[*ent.Delivery]
	recording workqueue.IDSet // attempted, their rows not yet committed
	// awaiting counts, by webhook, the attempts made whose leases have not
	// yet ended in the recorder's transaction: leased, but no longer at
	// the receiver nor on a worker. A claim over SQLite (one process, every
	// write on the writer's goroutine) leaves them out of the webhook's
	// attempts in flight; over PostgreSQL it counts the leases as they are.
	awaiting workqueue.IDSet // of webhook ids, once per attempt
	gate     gate            // each webhook's attempts held to its share
}

// New returns a dispatcher; call Run to start it.
func New(cfg Config, deps Deps) (*Dispatcher, error) {
	if deps.Writer == nil || deps.Read == nil || deps.Claimer == nil || deps.Secrets == nil || deps.Headers == nil || deps.URL == nil {
		return nil, errors.New("outbound: dispatcher needs a Writer, a Read client, a Claimer, and Secrets, Headers and URL funcs")
	}
	cfg.defaults()
	if cfg.Timeout < 0 {
		return nil, errors.New("outbound: Timeout must not be negative")
	}
	if cfg.Lease <= MaxAttemptTimeout {
		return nil, fmt.Errorf("outbound: lease %s must exceed the longest attempt (%s)", cfg.Lease, MaxAttemptTimeout)
	}
	if deps.Client == nil {
		deps.Client = egress.NewHTTPClient(cfg.AllowPrivate, MaxAttemptTimeout)
	}
	q, err := workqueue.New(workqueue.Config{
		Name: "deliveries", Workers: cfg.Workers, BatchSize: cfg.BatchSize,
		Lease: cfg.Lease, MaxWork: MaxAttemptTimeout, PollInterval: cfg.PollInterval,
		ShutdownTimeout: cfg.ShutdownTimeout, Now: cfg.Now, Log: cfg.Log,
	}, deps.Claimer, func(dl *ent.Delivery) pulid.ID { return dl.ID })
	if err != nil {
		return nil, fmt.Errorf("outbound: %w", err)
	}
	d := &Dispatcher{cfg: cfg, deps: deps, ua: "wexio-webhooks/" + cfg.Version, queue: q}
	if c, ok := deps.Claimer.(interface{ CountFinished(func(pulid.ID) int) }); ok {
		c.CountFinished(d.awaiting.Count)
	}
	return d, nil
}

// Working reports whether this dispatcher holds delivery id: claimed and
// queued or waiting at the gate, being attempted, or attempted and not yet
// recorded. A lease on a PENDING delivery that no running dispatcher holds
// was left by a process that stopped without releasing it
// (deliveries.Retry).
func (d *Dispatcher) Working(id pulid.ID) bool {
	return d.queue.Holds(id) || d.gate.holds(id) || d.recording.Has(id)
}

// Notify wakes the dispatcher at once: new deliveries are due (listen to
// the store's store.Deliveries topic with it). It never blocks, and
// wake-ups that arrive while one is pending coalesce.
func (d *Dispatcher) Notify() {
	if c, ok := d.deps.Claimer.(interface{ Created() }); ok {
		c.Created()
	}
	d.queue.Notify()
}
