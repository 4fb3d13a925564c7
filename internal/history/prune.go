package history

import (
	"context"

	"errors"
	"fmt"
	"log/slog"
	"time"

	"entgo.io/ent/dialect"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/store"
)

// Config configures a Pruner.
type Config struct {
	Retention time.Duration // WEXIO_RETENTION; history older than now-Retention goes
	BatchSize int           // rows per delete job at most; DefaultBatchSize
	Interval  time.Duration // time between passes of Run; 1m
	// FoldInterval is the time between folds of the recent counters
	// (FoldCounters) where a dialect appends them; 5s.
	FoldInterval time.Duration
	Now          func() time.Time // the clock; time.Now
	Log          *slog.Logger
}

// DefaultBatchSize keeps one delete job well under the ~50 ms an ingestion
// write may wait behind it (BenchmarkPruneBatch measures it).
const DefaultBatchSize = 500

// Deps are what a Pruner works through.
type Deps struct {
	// Writer runs every delete, one batch per job, so a pass never holds the
	// write lock for long; unless Write is set.
	Writer store.Writer
	// Write, when set, runs each batch in a transaction of its own, beside
	// ingestion rather than queued with it: for a database whose writers
	// do not take turns (PostgreSQL; store.Capabilities.RowLocks), where a
	// delete of old rows holds no lock an insert waits for.
	Write *ent.Client
	// Read finds the candidate rows outside the write lock (db.Read): the
	// scans, unindexed ones included, never delay ingestion; each delete
	// checks its conditions again.
	Read *ent.Client
	// Singleton, when set, runs passes on one server at a time
	// (store.Store). Passes on several at once would be correct (each
	// delete checks its conditions again) but wasteful: every server would
	// scan for the same rows and delete them, each batch waiting on the
	// others' row locks.
	Singleton Singleton
	// Dialect is the database's (store.Store.Dialect): a pass also folds
	// the log counters where that dialect appends them (CompactCounters).
	Dialect string
}

// Singleton takes a lock that one server holds at a time; ok is false when
// another holds it.
type Singleton interface {
	Singleton(ctx context.Context, name string) (release func(), ok bool, err error)
}

// singletonName is the lock a pass holds.
const singletonName = "history-prune"

// ErrPrunedElsewhere is PruneOnce's answer when another server's pass is
// running: that one does the work.
var ErrPrunedElsewhere = errors.New("history: another server is pruning")

// Counts is what one pass deleted, per kind.
type Counts struct {
	FlowRuns, Logs, IdempotencyKeys, Deliveries, Events int
}

// Total is the number of rows deleted.
func (c Counts) Total() int {
	return c.FlowRuns + c.Logs + c.IdempotencyKeys + c.Deliveries + c.Events
}

// Pruner deletes history older than the retention window: log rows,
// idempotency records, finished deliveries, the events left without
// deliveries and finished flow runs. Pending work is kept whatever its age.
type Pruner struct {
	cfg  Config
	deps Deps
}

// NewPruner returns a pruner; call Run to start it.
func NewPruner(cfg Config, deps Deps) (*Pruner, error) {
	if deps.Writer == nil || deps.Read == nil {
		return nil, errors.New("history: pruner needs a Writer and a Read client")
	}
	if cfg.Retention <= 0 {
		return nil, fmt.Errorf("history: retention must be positive, got %s", cfg.Retention)
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = DefaultBatchSize
	}
	if cfg.Interval <= 0 {
		cfg.Interval = time.Minute
	}
	if cfg.FoldInterval <= 0 {
		cfg.FoldInterval = 5 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return &Pruner{cfg: cfg, deps: deps}, nil
}

// Run prunes at once and then every Interval until ctx is done. A failed
// pass is logged and tried again at the next tick. The Writer must outlive
// Run.
func (p *Pruner) Run(ctx context.Context) error {
	tick := time.NewTicker(p.cfg.Interval)
	defer tick.Stop()
	fold := time.NewTicker(p.cfg.FoldInterval)
	defer fold.Stop()
	for {
		c, err := p.PruneOnce(ctx)
		switch {
		case ctx.Err() != nil:
			return nil
		case errors.Is(err, ErrPrunedElsewhere):
			p.cfg.Log.Debug("pruning history: another server's pass is running")
		case err != nil:
			p.cfg.Log.Error("pruning history", "err", err)
		case c.Total() > 0:
			p.cfg.Log.Info("pruned history", "flow_runs", c.FlowRuns, "logs", c.Logs,
				"idempotency_keys", c.IdempotencyKeys, "deliveries", c.Deliveries, "events", c.Events)
		}
		if !p.untilPass(ctx, tick.C, fold.C) {
			return nil
		}
	}
}

// untilPass folds the recent counters at each fold tick until the next
// pass is due (true) or ctx is done (false).
func (p *Pruner) untilPass(ctx context.Context, pass, fold <-chan time.Time) bool {
	for {
		select {
		case <-ctx.Done():
			return false
		case <-pass:
			return true
		case <-fold:
			if err := p.foldRecent(ctx); err != nil && ctx.Err() == nil {
				p.cfg.Log.Error("folding log counters", "err", err)
			}
		}
	}
}

// foldSingleton is the lock a fold of the recent counters holds.
const foldSingleton = "history-fold"

// foldRecent folds the counters of the last two hours, which the writers
// append to (FoldCounters), unless another server is at it: between
// passes, CountLogs then sums a few seconds' appended rows, not a minute's.
func (p *Pruner) foldRecent(ctx context.Context) error {
	if sqlDialect(p.deps.Dialect) != dialect.Postgres {
		return nil
	}
	ctx = auth.System(ctx)
	if p.deps.Singleton != nil {
		release, ok, err := p.deps.Singleton.Singleton(ctx, foldSingleton)
		if err != nil || !ok {
			return err
		}
		defer release()
	}
	return p.write(ctx, func(ctx context.Context, c *ent.Client) error {
		return FoldCounters(ctx, c, p.deps.Dialect, p.cfg.Now().Add(-time.Hour))
	})
}

// write runs fn in a transaction: its own on Write, else a Writer job.
func (p *Pruner) write(ctx context.Context, fn func(ctx context.Context, c *ent.Client) error) error {
	if p.deps.Write == nil {
		return p.deps.Writer.Do(ctx, func(ctx context.Context, tx *ent.Tx, _ *store.Hooks) error {
			return fn(ctx, tx.Client())
		})
	}
	tx, err := p.deps.Write.Tx(ctx)
	if err != nil {
		return err
	}
	if err := fn(ctx, tx.Client()); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// PruneOnce deletes everything older than now-Retention, batch by batch,
// each batch its own groupcommit job. Kinds go in foreign-key order: flow
// runs and log rows before the deliveries and events they point at (the
// references are SET NULL, so this only saves needless updates), deliveries
// before their events (that reference restricts). With a Singleton, it
// returns ErrPrunedElsewhere at once when another server's pass runs.
func (p *Pruner) PruneOnce(ctx context.Context) (Counts, error) {
	ctx = auth.System(ctx)
	if p.deps.Singleton != nil {
		release, ok, err := p.deps.Singleton.Singleton(ctx, singletonName)
		if err != nil {
			return Counts{}, err
		}
		if !ok {
			return Counts{}, ErrPrunedElsewhere
		}
		defer release()
	}
	cutoff := p.cfg.Now().Add(-p.cfg.Retention).UTC()
	var c Counts
	for _, k := range kinds(&c) {
		if err := p.pruneKind(ctx, k, cutoff); err != nil {
			return c, fmt.Errorf("pruning %s: %w", k.name, err)
		}
	}
	// The deletes appended a row to each counter of every hour they
	// emptied: all are folded, the emptied ones dropped.
	return c, p.write(ctx, func(ctx context.Context, c *ent.Client) error {
		return FoldCounters(ctx, c, p.deps.Dialect, time.Time{})
	})
}

// pruneKind deletes batches of one kind until a batch comes back short.
func (p *Pruner) pruneKind(ctx context.Context, k kind, cutoff time.Time) error {
	for {
		ids, err := k.find(ctx, p.deps.Read, cutoff, p.cfg.BatchSize)
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		var n int
		err = p.write(ctx, func(ctx context.Context, c *ent.Client) error {
			var err error
			n, err = k.del(ctx, c, ids, cutoff)
			return err
		})
		if err != nil {
			return err
		}
		*k.count += n
		if len(ids) < p.cfg.BatchSize || n == 0 {
			return nil
		}
	}
}
