package flows

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/crm"
	"github.com/wexio/webhooks/internal/outbox"
	"github.com/wexio/webhooks/internal/store"
	"github.com/wexio/webhooks/internal/workqueue"
)

// Config tunes the runner. Zero fields take the defaults noted.
type Config struct {
	Workers         int           // runs executed at once at most; 256 (see defaults)
	BatchSize       int           // runs per claim at most; Workers
	Lease           time.Duration // how long a claim holds; 1m (a run makes no network calls; a queued run must start within half of it)
	PollInterval    time.Duration // fallback wake-up when nobody calls Notify; 1s
	ShutdownTimeout time.Duration // how long Run waits for runs in flight before saying so; 10s
	RetryDelay      time.Duration // when a run is due again after a database error; 30s
	MaxRenderBytes  int           // bound on one rendered step value; 256 KiB
	Now             func() time.Time
	Log             *slog.Logger
}

func (c *Config) defaults() {
	// Runs make no network calls: each is a job on the writer. More of them
	// in flight make larger claims and group commits, which is most of what
	// the writer saves per run (BenchmarkFlowPath: +8% over 64). A run in
	// flight holds its request, at most the inbound limit (100 KB).
	c.Workers = cmp.Or(c.Workers, 256)
	c.BatchSize = cmp.Or(c.BatchSize, c.Workers)
	c.Lease = cmp.Or(c.Lease, time.Minute)
	c.PollInterval = cmp.Or(c.PollInterval, time.Second)
	c.ShutdownTimeout = cmp.Or(c.ShutdownTimeout, 10*time.Second)
	c.RetryDelay = cmp.Or(c.RetryDelay, 30*time.Second)
	c.MaxRenderBytes = cmp.Or(c.MaxRenderBytes, 256<<10)
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
}

// Deps are the runner's collaborators.
type Deps struct {
	Writer  store.Writer // every write goes through it
	Read    *ent.Client  // the read pool: the claimer loads claimed runs from it
	Claimer Claimer      // NewClaimer over the store's claimer of Runs
	CRM     CRM          // contact updates, chats and messages (crm.Service)
	// Subscriptions, when set, answers the emits' webhook lookups from its
	// cache instead of a query per run.
	Subscriptions outbox.Source
	// Observer, when set, is told of each run that ends (metrics).
	Observer Observer
}

// Observer is told of each flow run that ended, with its status.
type Observer interface {
	RunFinished(status schematype.FlowRunStatus)
}

// CRM is what the steps change in the product, each in the caller's
// transaction (c).
type CRM interface {
	SetFields(ctx context.Context, c *ent.Client, ct *ent.Contact, set map[string]any) (*ent.Contact, error)
	OpenChatWith(ctx context.Context, c *ent.Client, ct *ent.Contact, channel string) (*ent.Chat, error)
	SendMessageIn(ctx context.Context, c *ent.Client, ch *ent.Chat, text string) (*ent.Message, error)
}

var _ CRM = (*crm.Service)(nil)

// Runner claims due flow runs and executes their steps.
type Runner struct {
	cfg   Config
	deps  Deps
	queue *workqueue.Queue[*ent.FlowRun]
}

// New returns a runner; call Run to start it.
func New(cfg Config, deps Deps) (*Runner, error) {
	if deps.Writer == nil || deps.Read == nil || deps.Claimer == nil || deps.CRM == nil {
		return nil, errors.New("flows: runner needs a Writer, a Read client, a Claimer and a CRM service")
	}
	cfg.defaults()
	if cfg.RetryDelay < 0 || cfg.MaxRenderBytes < 0 {
		return nil, errors.New("flows: RetryDelay and MaxRenderBytes must not be negative")
	}
	q, err := workqueue.New(workqueue.Config{
		Name: "flow runs", Workers: cfg.Workers, BatchSize: cfg.BatchSize,
		Lease: cfg.Lease, MaxWork: cfg.Lease / 2, PollInterval: cfg.PollInterval,
		ShutdownTimeout: cfg.ShutdownTimeout, Now: cfg.Now, Log: cfg.Log,
	}, deps.Claimer, func(run *ent.FlowRun) pulid.ID { return run.ID })
	if err != nil {
		return nil, fmt.Errorf("flows: %w", err)
	}
	return &Runner{cfg: cfg, deps: deps, queue: q}, nil
}

// Notify wakes the runner at once: new runs are due (listen to the
// store's store.FlowRuns topic with it). It never blocks, and
// wake-ups that arrive while one is pending coalesce.
func (r *Runner) Notify() { r.queue.Notify() }
