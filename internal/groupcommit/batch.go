package groupcommit

import (
	"context"
	"fmt"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/internal/store"
)

// run executes one batch in one transaction and answers every request.
// It first runs the jobs one after the other with no savepoints: most
// batches fail no job, and a savepoint per job costs two more statements
// each (on PostgreSQL, two more round trips, most of a job's time). Should
// a job fail, that transaction is rolled back and the batch runs again
// with a savepoint per job, so the failing one is rolled back alone and
// the others commit. Jobs must therefore be safe to run twice: they write
// only through tx and register their after-commit work on their hooks,
// which are forgotten between the runs. The rows jobs leave to the end of
// the transaction (store.Hooks.InsertLater) are inserted together after
// the last job; when careful, each job's after it, in its savepoint.
func (w *Writer) run(batch []*request) {
	if w.obs != nil {
		defer func(began time.Time) { w.obs.Commit(time.Since(began), len(batch)) }(time.Now())
	}
	if w.runInserts(batch) {
		return
	}
	errs, committed, err := w.attempt(batch, false)
	if err == nil && !committed {
		errs, _, err = w.attempt(batch, true)
	}
	if err != nil {
		w.fail(batch, err)
		return
	}
	for i, r := range batch {
		r.done <- errs[i]
	}
}

// runInserts commits a batch of Inserts by one Inserter (most inbound
// requests) as one statement with no transaction around it: no BEGIN and
// COMMIT, which on PostgreSQL are two more round trips for the batch. It
// reports false, having changed nothing, for any other batch or when the
// statement fails: the batch then runs as jobs, each insert alone in its
// savepoint should that fail again.
func (w *Writer) runInserts(batch []*request) bool {
	ins := batch[0].ins
	rows := make([]any, len(batch))
	for i, r := range batch {
		if r.ins == nil || r.ins != ins {
			return false
		}
		rows[i] = r.row
	}
	if err := ins.Insert(context.Background(), w.client, rows); err != nil {
		w.log.Warn("group commit: a batch of inserts failed; running each alone", "err", err, "rows", len(rows))
		return false
	}
	for _, r := range batch {
		if r.after != nil {
			r.after()
		}
		r.done <- nil
	}
	return true
}

// attempt runs batch in one transaction, each job in a savepoint when
// careful, and once it committed, the after-commit work of the jobs that
// succeeded. Not careful, it rolls back and returns committed false at the
// first job that fails. err is a failure of the transaction itself.
func (w *Writer) attempt(batch []*request, careful bool) (errs []error, committed bool, err error) {
	ctx := context.Background()
	tx, err := w.client.Tx(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("starting batch: %w", err)
	}
	errs = make([]error, len(batch))
	for i, r := range batch {
		r.hooks.Discard() // from a run rolled back
		if careful {
			errs[i] = w.runOne(tx, r)
			continue
		}
		if errs[i] = w.runPlain(tx, r); errs[i] != nil {
			if rerr := tx.Rollback(); rerr != nil {
				return nil, false, fmt.Errorf("rolling back batch: %w", rerr)
			}
			return nil, false, nil
		}
	}
	if !careful {
		hooks := make([]*store.Hooks, len(batch))
		for i, r := range batch {
			hooks[i] = &r.hooks
		}
		if err := store.InsertPending(ctx, tx, hooks...); err != nil {
			// Which job's row failed is for the careful run to find.
			w.log.Warn("group commit: the batch's rows failed; running each job alone", "err", err)
			if rerr := tx.Rollback(); rerr != nil {
				return nil, false, fmt.Errorf("rolling back batch: %w", rerr)
			}
			return nil, false, nil
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, false, fmt.Errorf("committing batch: %w", err)
	}
	for i, r := range batch {
		if errs[i] == nil {
			r.hooks.Committed()
		}
	}
	return errs, true, nil
}

// runPlain runs a job with no savepoint; a panic is its error.
func (w *Writer) runPlain(tx *ent.Tx, r *request) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("job panicked: %v", p)
			w.log.Error("group commit job panicked", "panic", p)
		}
	}()
	return r.job(r.ctx, tx, &r.hooks)
}

// runOne runs a job inside a savepoint, with the rows it left to the end,
// rolling back only its own writes when it fails (or panics).
func (w *Writer) runOne(tx *ent.Tx, r *request) error {
	err := store.Savepoint(r.ctx, tx, "job", func() error {
		if err := w.runPlain(tx, r); err != nil {
			return err
		}
		return store.InsertPending(r.ctx, tx, &r.hooks)
	})
	if err != nil {
		r.hooks.Discard()
	}
	return err
}

func (w *Writer) fail(batch []*request, err error) {
	w.log.Error("group commit failed", "err", err, "jobs", len(batch))
	for _, r := range batch {
		r.done <- err
	}
}
