package groupcommit

import (
	"context"
	"fmt"

	"github.com/wexio/webhooks/ent"
)

// run executes one batch in one transaction and answers every request.
func (w *Writer) run(batch []*request) {
	ctx := context.Background()
	tx, err := w.client.Tx(ctx)
	if err != nil {
		w.fail(batch, fmt.Errorf("starting batch: %w", err))
		return
	}
	errs := make([]error, len(batch))
	for i, r := range batch {
		errs[i] = w.runOne(tx, r)
	}
	if err := tx.Commit(); err != nil {
		w.fail(batch, fmt.Errorf("committing batch: %w", err))
		return
	}
	for i, r := range batch {
		if errs[i] == nil {
			for _, f := range r.hooks.after {
				f()
			}
		}
		r.done <- errs[i]
	}
}

// runOne runs a job inside a savepoint, rolling back only its own writes
// when it fails (or panics).
func (w *Writer) runOne(tx *ent.Tx, r *request) error {
	err := Savepoint(r.ctx, tx, "job", func() (err error) {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("job panicked: %v", p)
				w.log.Error("group commit job panicked", "panic", p)
			}
		}()
		return r.job(r.ctx, tx, &r.hooks)
	})
	if err != nil {
		r.hooks.after = nil
	}
	return err
}

// Savepoint runs fn inside savepoint name of tx: when fn fails, its writes
// alone are rolled back and its error returned; the transaction goes on.
func Savepoint(ctx context.Context, tx *ent.Tx, name string, fn func() error) error {
	if _, err := tx.ExecContext(ctx, "SAVEPOINT "+name); err != nil {
		return fmt.Errorf("opening savepoint %s: %w", name, err)
	}
	err := fn()
	if err != nil {
		if _, rerr := tx.ExecContext(ctx, "ROLLBACK TO "+name); rerr != nil {
			return fmt.Errorf("rolling back to savepoint %s: %w (after %w)", name, rerr, err)
		}
	}
	if _, rerr := tx.ExecContext(ctx, "RELEASE "+name); rerr != nil {
		return fmt.Errorf("releasing savepoint %s: %w", name, rerr)
	}
	return err
}

func (w *Writer) fail(batch []*request, err error) {
	w.log.Error("group commit failed", "err", err, "jobs", len(batch))
	for _, r := range batch {
		r.done <- err
	}
}
