package postgres

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/wexio/webhooks/internal/store"
)

// Live servers beat every heartbeat; one whose last beat is older than
// heartbeatTimeout is taken for dead.
const (
	heartbeat        = 5 * time.Second
	heartbeatTimeout = 30 * time.Second
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

// workers registers this process among the servers working the queues.
type workers struct {
	db  *sql.DB
	log *slog.Logger
}

// membership is one server's row, kept fresh until released.
type membership struct {
	id     string
	sole   bool
	cancel context.CancelFunc
	done   chan struct{}
	once   sync.Once
	db     *sql.DB
}

var _ store.WorkerLock = (*membership)(nil)

// join inserts this server's row and says whether any other server is
// alive; the clock is the database's, so servers' clocks need not agree.
func (w *workers) join(ctx context.Context) (*membership, error) {
	var b [8]byte
	_, _ = rand.Read(b[:])
	m := &membership{id: hex.EncodeToString(b[:]), done: make(chan struct{}), db: w.db}
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
	err = tx.QueryRowContext(ctx, "SELECT count(*) FROM wexio_workers WHERE beat_at > now() - $1::interval",
		fmt.Sprintf("%d seconds", int(heartbeatTimeout.Seconds()))).Scan(&others)
	if err != nil {
		return nil, fmt.Errorf("counting live workers: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO wexio_workers (id) VALUES ($1)", m.id); err != nil {
		return nil, fmt.Errorf("joining the workers: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("joining the workers: %w", err)
	}
	m.sole = others == 0
	beatCtx, cancel := context.WithCancel(context.Background())
	m.cancel = cancel
	go m.beat(beatCtx, w.log)
	return m, nil
}

// beat keeps the row fresh, and drops rows of servers long dead.
func (m *membership) beat(ctx context.Context, log *slog.Logger) {
	defer close(m.done)
	t := time.NewTicker(heartbeat)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, err := m.db.ExecContext(ctx, "UPDATE wexio_workers SET beat_at = now() WHERE id = $1", m.id); err != nil && ctx.Err() == nil {
			log.Warn("beating the worker heartbeat", "err", err)
		}
		_, _ = m.db.ExecContext(ctx, "DELETE FROM wexio_workers WHERE beat_at < now() - interval '1 day'")
	}
}

// Sole implements store.WorkerLock.
func (m *membership) Sole() bool { return m.sole }

// Release implements store.WorkerLock.
func (m *membership) Release() error {
	var err error
	m.once.Do(func() {
		m.cancel()
		<-m.done
		_, err = m.db.ExecContext(context.Background(), "DELETE FROM wexio_workers WHERE id = $1", m.id)
	})
	return err
}
