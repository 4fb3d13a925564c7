package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/store"
)

// Live servers beat every heartbeat (store.Options.Heartbeat); one whose
// last beat is older than deadAfter heartbeats is taken for dead: long
// enough that a server busy or briefly cut off is not, short enough that
// a killed one's work is taken over within a minute.
const (
	defaultHeartbeat = 5 * time.Second
	deadAfter        = 6
)

// ensureWorkers creates the table of live servers (run under the
// migration lock).
func ensureWorkers(ctx context.Context, db *sql.DB) error {
	_, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS wexio_workers (
		id TEXT PRIMARY KEY,
		started_at TIMESTAMPTZ NOT NULL DEFAULT now(),
		beat_at TIMESTAMPTZ NOT NULL DEFAULT now()
	)`)
	if err != nil {
		return fmt.Errorf("creating the workers table: %w", err)
	}
	return nil
}

// workers registers this process among the servers working the queues,
// keeps its heartbeat, and releases the leases of servers that died.
type workers struct {
	db     *sql.DB
	write  *ent.Client
	log    *slog.Logger
	holder string        // this server's id: its row, and the prefix of its claim tokens
	every  time.Duration // the heartbeat

	mu      sync.Mutex
	tables  []store.LeaseTable // those claimed from, whose dead holders' leases go
	members []*membership      // joined and not released
}

// stop stops the heartbeats of memberships not released: closing the
// store without leaving is as a server that died, which the others see.
func (w *workers) stop() {
	w.mu.Lock()
	ms := w.members
	w.members = nil
	w.mu.Unlock()
	for _, m := range ms {
		m.cancel()
		<-m.done
	}
}

// register remembers a table claimed from.
func (w *workers) register(t store.LeaseTable) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, have := range w.tables {
		if have.Name == t.Name {
			return
		}
	}
	w.tables = append(w.tables, t)
}

// membership is one server's row, kept fresh until released.
type membership struct {
	w      *workers
	sole   bool
	cancel context.CancelFunc
	done   chan struct{}
	once   sync.Once
}

var _ store.WorkerLock = (*membership)(nil)

// join inserts this server's row and says whether any other server is
// alive; the clock is the database's, so servers' clocks need not agree.
func (w *workers) join(ctx context.Context) (*membership, error) {
	m := &membership{w: w, done: make(chan struct{})}
	tx, err := w.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("joining the workers: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	// One join at a time: two servers starting together must not both
	// believe they are alone.
	if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", migrationLock+1); err != nil {
		return nil, fmt.Errorf("joining the workers: %w", err)
	}
	var others int
	err = tx.QueryRowContext(ctx, "SELECT count(*) FROM wexio_workers WHERE id <> $1 AND beat_at > now() - $2::interval",
		w.holder, interval(w.every*deadAfter)).Scan(&others)
	if err != nil {
		return nil, fmt.Errorf("counting live workers: %w", err)
	}
	if err := beat(ctx, tx, w.holder); err != nil {
		return nil, fmt.Errorf("joining the workers: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("joining the workers: %w", err)
	}
	m.sole = others == 0
	beatCtx, cancel := context.WithCancel(context.Background())
	m.cancel = cancel
	w.mu.Lock()
	w.members = append(w.members, m)
	w.mu.Unlock()
	go m.beat(beatCtx)
	return m, nil
}

// beat writes holder's heartbeat, its row again if another server took it
// for dead meanwhile (a long pause): it is alive, its leases went.
func beat(ctx context.Context, db interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}, holder string) error {
	_, err := db.ExecContext(ctx, `INSERT INTO wexio_workers (id) VALUES ($1)
		ON CONFLICT (id) DO UPDATE SET beat_at = now()`, holder)
	return err
}

// interval is d as a PostgreSQL interval literal.
func interval(d time.Duration) string { return fmt.Sprintf("%d milliseconds", d.Milliseconds()) }

// beat keeps the row fresh and releases the leases of servers whose
// heartbeat stopped, every heartbeat.
func (m *membership) beat(ctx context.Context) {
	defer close(m.done)
	t := time.NewTicker(m.w.every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := beat(ctx, m.w.db, m.w.holder); err != nil && ctx.Err() == nil {
			m.w.log.Warn("beating the worker heartbeat", "err", err)
		}
		if err := m.w.takeOver(ctx); err != nil && ctx.Err() == nil {
			m.w.log.Warn("releasing the leases of servers that stopped beating", "err", err)
		}
	}
}

// takeOver releases the leases held by servers whose heartbeat is older
// than deadAfter heartbeats and forgets them, so their deliveries and runs are
// claimed by the living within a heartbeat or two of the timeout rather
// than when their leases run out. One server does it for each dead one:
// the DELETE hands each row to one transaction.
func (w *workers) takeOver(ctx context.Context) error {
	w.mu.Lock()
	tables := append([]store.LeaseTable(nil), w.tables...)
	w.mu.Unlock()
	tx, err := w.write.Tx(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	rows, err := tx.QueryContext(ctx, "DELETE FROM wexio_workers WHERE beat_at < now() - $1::interval RETURNING id",
		interval(w.every*deadAfter))
	if err != nil {
		return err
	}
	var dead []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			_ = rows.Close()
			return err
		}
		dead = append(dead, id)
	}
	_ = rows.Close()
	if len(dead) == 0 {
		return nil
	}
	sys := auth.System(ctx)
	for _, id := range dead {
		for _, t := range tables {
			n, err := t.UnleaseHeldBy(sys, tx.Client(), id+".")
			if err != nil {
				return fmt.Errorf("releasing %s held by a dead server: %w", t.Name, err)
			}
			if n > 0 {
				w.log.Warn("released the leases of a server that stopped beating", "server", id, "table", t.Name, "count", n)
			}
		}
	}
	return tx.Commit()
}

// Sole implements store.WorkerLock.
func (m *membership) Sole() bool { return m.sole }

// Release implements store.WorkerLock.
func (m *membership) Release() error {
	var err error
	m.once.Do(func() {
		m.w.mu.Lock()
		m.w.members = slices.DeleteFunc(m.w.members, func(x *membership) bool { return x == m })
		m.w.mu.Unlock()
		m.cancel()
		<-m.done
		_, err = m.w.db.ExecContext(context.Background(), "DELETE FROM wexio_workers WHERE id = $1", m.w.holder)
	})
	return err
}
