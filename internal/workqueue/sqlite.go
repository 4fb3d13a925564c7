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

// Table is what a SQLiteClaimer needs of one table of leased rows. Each
// query takes the client it must use (the claim's transaction, or the read
// pool for Load).
type Table[T any] struct {
	Name string // what the rows are, for errors: "deliveries"
	// Expired and Unleased return up to limit due rows whose lease ended,
	// and due rows with no lease in due order: two ranges of an index on
	// (claimed_until, next_attempt_at), so a claim never walks the rows
	// in flight.
	Expired, Unleased func(ctx context.Context, c *ent.Client, now time.Time, limit int) ([]pulid.ID, error)
	// Lease marks ids claimed until until (and whatever else a claim sets).
	Lease func(ctx context.Context, c *ent.Client, ids []pulid.ID, now, until time.Time) error
	// Load reads the claimed rows, ready for work.
	Load func(ctx context.Context, c *ent.Client, ids []pulid.ID) ([]T, error)
	// Unlease drops the leases of those of ids not finished.
	Unlease func(ctx context.Context, c *ent.Client, ids []pulid.ID) error
	// UnleaseAll drops every lease on unfinished rows and says how many.
	UnleaseAll func(ctx context.Context, c *ent.Client) (int, error)
}

// DueIDs returns up to limit rows that may be claimed at now, expired
// leases first (their worker died).
func (t Table[T]) DueIDs(ctx context.Context, c *ent.Client, now time.Time, limit int) ([]pulid.ID, error) {
	expired, err := t.Expired(ctx, c, now, limit)
	if err != nil || len(expired) == limit {
		return expired, err
	}
	fresh, err := t.Unleased(ctx, c, now, limit-len(expired))
	return append(expired, fresh...), err
}

// SQLiteClaimer claims through the group-commit writer: a claim is one
// short job in a write transaction (BEGIN IMMEDIATE), so no two claims
// overlap and no work ever runs while the lock is held. The claimed rows
// are loaded from the read pool after the claim commits, off the writer
// every ingest shares.
type SQLiteClaimer[T any] struct {
	w     store.Writer
	read  *ent.Client
	table Table[T]
}

// NewSQLiteClaimer returns a Claimer of table's rows over the writer of a
// SQLite database and its read client.
func NewSQLiteClaimer[T any](w store.Writer, read *ent.Client, table Table[T]) *SQLiteClaimer[T] {
	return &SQLiteClaimer[T]{w: w, read: read, table: table}
}

// Claim implements Claimer. ctx must allow system access (auth.System).
func (c *SQLiteClaimer[T]) Claim(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]T, error) {
	var ids []pulid.ID
	now = now.UTC()
	err := c.w.Do(ctx, func(ctx context.Context, tx *ent.Tx, _ *store.Hooks) error {
		var err error
		if ids, err = c.table.DueIDs(ctx, tx.Client(), now, limit); err != nil || len(ids) == 0 {
			return err
		}
		return c.table.Lease(ctx, tx.Client(), ids, now, now.Add(lease))
	})
	if err != nil {
		return nil, fmt.Errorf("claiming due %s: %w", c.table.Name, err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	// The leases are committed: the rows must reach the queue, which works
	// on them or, when stopping, releases them. A claim cut short here by
	// shutdown left them leased until the lease ran out (10 minutes for a
	// delivery), so the load does not stop with ctx.
	ctx = context.WithoutCancel(ctx)
	out, err := c.table.Load(ctx, c.read, ids)
	if err != nil {
		if rerr := c.Release(ctx, ids); rerr != nil {
			err = errors.Join(err, rerr) // the leases stand until they run out
		}
		return nil, fmt.Errorf("loading claimed %s: %w", c.table.Name, err)
	}
	return out, nil
}

// Release implements Claimer.
func (c *SQLiteClaimer[T]) Release(ctx context.Context, ids []pulid.ID) error {
	if len(ids) == 0 {
		return nil
	}
	err := c.w.Do(ctx, func(ctx context.Context, tx *ent.Tx, _ *store.Hooks) error {
		return c.table.Unlease(ctx, tx.Client(), ids)
	})
	if err != nil {
		return fmt.Errorf("releasing %d leases of %s: %w", len(ids), c.table.Name, err)
	}
	return nil
}

// ReleaseAbandoned drops every lease in the table, so rows claimed by a
// process that died are due at once instead of when their leases end.
// Call it only at a start that knows no other process works the table
// (db.TakeWorkerLock): a live worker's leases would go too.
func (c *SQLiteClaimer[T]) ReleaseAbandoned(ctx context.Context) (int, error) {
	var n int
	err := c.w.Do(ctx, func(ctx context.Context, tx *ent.Tx, _ *store.Hooks) error {
		var err error
		n, err = c.table.UnleaseAll(ctx, tx.Client())
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("releasing abandoned leases of %s: %w", c.table.Name, err)
	}
	return n, nil
}
