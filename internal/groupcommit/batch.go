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
// when it fails.
func (w *Writer) runOne(tx *ent.Tx, r *request) (err error) {
	if _, err := tx.ExecContext(r.ctx, "SAVEPOINT job"); err != nil {
		return fmt.Errorf("opening savepoint: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("job panicked: %v", p)
			w.log.Error("group commit job panicked", "panic", p)
		}
		if err != nil {
			r.hooks.after = nil
			if _, rerr := tx.ExecContext(r.ctx, "ROLLBACK TO job"); rerr != nil {
				w.log.Error("rolling back job", "err", rerr)
			}
		}
		if _, rerr := tx.ExecContext(r.ctx, "RELEASE job"); rerr != nil {
			w.log.Error("releasing savepoint", "err", rerr)
		}
	}()
	return r.job(r.ctx, tx, &r.hooks)
}

func (w *Writer) fail(batch []*request, err error) {
	w.log.Error("group commit failed", "err", err, "jobs", len(batch))
	for _, r := range batch {
		r.done <- err
	}
}
