package workqueue

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/internal/store"
)

// Load reads the rows of ids still held by claim token, ready for work.
type Load[T any] func(ctx context.Context, c *ent.Client, ids []pulid.ID, token string) ([]T, error)

// Rows is a Claimer of rows: the store's claimer leases their ids, and
// the rows are loaded from the read pool after the claim commits, off the
// writer every ingest shares.
type Rows[T any] struct {
	ids  store.Claimer
	read *ent.Client
	load Load[T]
	name string
	next NextDue // may be nil
}

// NextDue finds, through c, the earliest time after now a row comes due.
type NextDue func(ctx context.Context, c *ent.Client, now time.Time) (time.Time, bool, error)

// WithNextDue makes r a NextDuer, asking next.
func (r *Rows[T]) WithNextDue(next NextDue) *Rows[T] {
	r.next = next
	return r
}

// NextDue implements NextDuer; without a NextDue func, none is known.
func (r *Rows[T]) NextDue(ctx context.Context, now time.Time) (time.Time, bool, error) {
	if r.next == nil {
		return time.Time{}, false, nil
	}
	return r.next(ctx, r.read, now)
}

var _ Claimer[int] = (*Rows[int])(nil)

// NewRows returns a Claimer of the rows ids claims, loaded through read.
func NewRows[T any](name string, ids store.Claimer, read *ent.Client, load Load[T]) *Rows[T] {
	return &Rows[T]{ids: ids, read: read, load: load, name: name}
}

// Claim implements Claimer. ctx must allow system access (auth.System).
func (r *Rows[T]) Claim(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]T, error) {
	ids, token, err := r.ids.Claim(ctx, now, limit, lease)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	// The leases are committed: the rows must reach the queue, which works
	// on them or, when stopping, releases them. A claim cut short here by
	// shutdown left them leased until the lease ran out (10 minutes for a
	// delivery), so the load does not stop with ctx.
	ctx = context.WithoutCancel(ctx)
	out, err := r.load(ctx, r.read, ids, token)
	if err != nil {
		if rerr := r.ids.Release(ctx, ids); rerr != nil {
			err = errors.Join(err, rerr) // the leases stand until they run out
		}
		return nil, fmt.Errorf("loading claimed %s: %w", r.name, err)
	}
	return out, nil
}

// Release implements Claimer.
func (r *Rows[T]) Release(ctx context.Context, ids []pulid.ID) error {
	return r.ids.Release(ctx, ids)
}
