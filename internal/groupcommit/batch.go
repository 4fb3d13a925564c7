package groupcommit

import (
	"context"
	"fmt"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/internal/store"
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
			r.hooks.Committed()
		}
		r.done <- errs[i]
	}
}

// runOne runs a job inside a savepoint, rolling back only its own writes
// when it fails (or panics).
func (w *Writer) runOne(tx *ent.Tx, r *request) error {
	err := store.Savepoint(r.ctx, tx, "job", func() (err error) {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("job panicked: %v", p)
				w.log.Error("group commit job panicked", "panic", p)
			}
		}()
		return r.job(r.ctx, tx, &r.hooks)
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
