package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/wexio/webhooks/ent"
)

// Job is one unit of write work. It must use only tx. Work to do once the
// transaction has committed is registered on h, never run inside the job.
type Job func(ctx context.Context, tx *ent.Tx, h *Hooks) error

// Writer runs write jobs in transactions. A driver may batch many callers'
// jobs into one transaction (group commit), each in a savepoint of its own:
// a job that fails is rolled back alone and its error returned to its
// caller. Do returns only once the transaction holding the job committed
// (nil) or failed.
type Writer interface {
	Do(ctx context.Context, job Job) error
}

// Hooks lets a job ask for work after the commit (publishing to live tail,
// answering a caller): never before, so nobody sees rows that may roll
// back.
type Hooks struct {
	after []func()
}

// AfterCommit registers f to run once the job's transaction has committed.
func (h *Hooks) AfterCommit(f func()) { h.after = append(h.after, f) }

// Committed runs what the job registered; a Writer calls it after the
// commit, and only when the job succeeded.
func (h *Hooks) Committed() {
	for _, f := range h.after {
		f()
	}
	h.after = nil
}

// Discard forgets what the job registered: it failed, or its transaction
// did.
func (h *Hooks) Discard() { h.after = nil }

// Execer runs a statement: a transaction, or a client bound to one.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// Savepoint runs fn inside savepoint name of tx: when fn fails, its writes
// alone are rolled back and its error returned; the transaction goes on.
// On PostgreSQL a failed statement aborts the whole transaction unless it
// ran in a savepoint: code that goes on after a statement it expects may
// fail needs one. SQLite and PostgreSQL spell savepoints the same way.
func Savepoint(ctx context.Context, tx Execer, name string, fn func() error) error {
	if _, err := tx.ExecContext(ctx, "SAVEPOINT "+name); err != nil {
		return fmt.Errorf("opening savepoint %s: %w", name, err)
	}
	err := fn()
	if err != nil {
		if _, rerr := tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT "+name); rerr != nil {
			return fmt.Errorf("rolling back to savepoint %s: %w (after %w)", name, rerr, err)
		}
	}
	if _, rerr := tx.ExecContext(ctx, "RELEASE SAVEPOINT "+name); rerr != nil {
		return fmt.Errorf("releasing savepoint %s: %w", name, rerr)
	}
	return err
}
