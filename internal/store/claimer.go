package store

import (
	"context"
	"fmt"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
)

// InTx runs fn in a write transaction, committed when fn succeeds: how a
// driver's claims take their transactions. fn writes with the context it
// is given, not the caller's: where the transaction is a batch shared with
// other jobs (SQLite's group-commit writer), a job once started runs to
// the end of its batch, and a claim whose caller gave up mid-statement
// must not interrupt the connection under the others' writes.
type InTx func(ctx context.Context, fn func(ctx context.Context, c *ent.Client) error) error

// NewClaimer returns the claimer of t's rows that drivers share: claims in
// short transactions of their own run by inTx, leasing with tokens of
// holder, and locking the rows they take (FOR UPDATE SKIP LOCKED) when
// lock is set. No transaction stays open across the work.
func NewClaimer(t LeaseTable, holder string, lock bool, inTx InTx) Claimer {
	return &claimer{table: t, holder: holder, lock: lock, inTx: inTx}
}

type claimer struct {
	table  LeaseTable
	holder string // the process's, in every claim's token
	lock   bool
	inTx   InTx
}

// Claim implements Claimer.
func (c *claimer) Claim(ctx context.Context, now time.Time, limit int, lease time.Duration) (ids []pulid.ID, token string, err error) {
	now = now.UTC()
	token = NewToken(c.holder)
	err = c.inTx(ctx, func(ctx context.Context, tx *ent.Client) error {
		if ids, err = c.table.DueIDs(ctx, tx, now, limit, c.lock); err != nil || len(ids) == 0 {
			return err
		}
		return c.table.Lease(ctx, tx, ids, now, now.Add(lease), token)
	})
	if err != nil {
		return nil, "", fmt.Errorf("claiming due %s: %w", c.table.Name, err)
	}
	return ids, token, nil
}

// Release implements Claimer.
func (c *claimer) Release(ctx context.Context, ids []pulid.ID) error {
	if len(ids) == 0 {
		return nil
	}
	err := c.inTx(ctx, func(ctx context.Context, tx *ent.Client) error { return c.table.Unlease(ctx, tx, ids) })
	if err != nil {
		return fmt.Errorf("releasing %d leases of %s: %w", len(ids), c.table.Name, err)
	}
	return nil
}

// ReleaseAbandoned implements Claimer.
func (c *claimer) ReleaseAbandoned(ctx context.Context) (n int, err error) {
	err = c.inTx(ctx, func(ctx context.Context, tx *ent.Client) error {
		n, err = c.table.UnleaseAll(ctx, tx)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("releasing abandoned leases of %s: %w", c.table.Name, err)
	}
	return n, nil
}
