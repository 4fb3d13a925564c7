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
	// Insert inserts row with ins and, once that committed, runs after
	// (when not nil): a job that writes nothing else, which a Writer may
	// batch with others of its kind into one statement and no transaction.
	Insert(ctx context.Context, ins *Inserter, row any, after func()) error
}

// Hooks lets a job ask for work after the commit (publishing to live tail,
// answering a caller): never before, so nobody sees rows that may roll
// back. And for rows to be inserted at the end of its transaction, with
// those of every other job in it (InsertLater).
type Hooks struct {
	after   []func()
	pending []pendingRow
}

type pendingRow struct {
	ins *Inserter
	row any
}

// Inserter inserts rows that jobs leave to the end of their transaction
// (Hooks.InsertLater). A writer that batches many callers' jobs in one
// transaction hands it every job's rows at once: one statement for the
// batch where each job alone would spend one (on PostgreSQL, a round trip
// per job, which was most of an inbound request's time in the writer).
type Inserter struct {
	Name string // what it inserts, for errors
	// Insert writes rows, in the order they were queued, through db: a
	// transaction, or, for a Writer's batch of Inserts alone, the database
	// itself; then it must write all of them or none (one statement).
	Insert func(ctx context.Context, db Execer, rows []any) error
}

// AfterCommit registers f to run once the job's transaction has committed.
func (h *Hooks) AfterCommit(f func()) { h.after = append(h.after, f) }

// InsertLater queues row for ins, to be inserted in the job's transaction
// after the job and before the commit. Nothing the job does may need the
// row to be there yet (a foreign key to it from a row the job writes):
// such a row is inserted by the job itself.
func (h *Hooks) InsertLater(ins *Inserter, row any) {
	h.pending = append(h.pending, pendingRow{ins, row})
}

// InsertPending inserts what the jobs of hooks left to the end of their
// transaction tx (InsertLater), one call per Inserter, and forgets it. A
// Writer calls it after the jobs and before the commit: for all of a
// batch's jobs at once, or for each job in its own savepoint.
func InsertPending(ctx context.Context, tx *ent.Tx, hooks ...*Hooks) error {
	var order []*Inserter
	rows := map[*Inserter][]any{}
	for _, h := range hooks {
		for _, p := range h.pending {
			if _, ok := rows[p.ins]; !ok {
				order = append(order, p.ins)
			}
			rows[p.ins] = append(rows[p.ins], p.row)
		}
		h.pending = nil
	}
	for _, ins := range order {
		if err := ins.Insert(ctx, tx, rows[ins]); err != nil {
			return fmt.Errorf("inserting %s: %w", ins.Name, err)
		}
	}
	return nil
}

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
func (h *Hooks) Discard() { h.after, h.pending = nil, nil }

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
