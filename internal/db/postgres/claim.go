package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/internal/store"
)

// claimer claims in a short transaction of its own: the due rows are read
// FOR UPDATE SKIP LOCKED, so claims by several servers at once each take
// different rows and never wait for one another, and leased before the
// commit. No transaction stays open across the work.
type claimer struct {
	c      *ent.Client
	table  store.LeaseTable
	holder string // this server's, in every claim's token: see workers
}

var _ store.Claimer = (*claimer)(nil)

// Claim implements store.Claimer.
func (c *claimer) Claim(ctx context.Context, now time.Time, limit int, lease time.Duration) (ids []pulid.ID, token string, err error) {
	now = now.UTC()
	token = store.NewToken(c.holder)
	err = c.tx(ctx, func(tx *ent.Tx) error {
		if ids, err = c.table.DueIDs(ctx, tx.Client(), now, limit, true); err != nil || len(ids) == 0 {
			return err
		}
		return c.table.Lease(ctx, tx.Client(), ids, now, now.Add(lease), token)
	})
	if err != nil {
		return nil, "", fmt.Errorf("claiming due %s: %w", c.table.Name, err)
	}
	return ids, token, nil
}

// Release implements store.Claimer.
func (c *claimer) Release(ctx context.Context, ids []pulid.ID) error {
	if len(ids) == 0 {
		return nil
	}
	err := c.tx(ctx, func(tx *ent.Tx) error { return c.table.Unlease(ctx, tx.Client(), ids) })
	if err != nil {
		return fmt.Errorf("releasing %d leases of %s: %w", len(ids), c.table.Name, err)
	}
	return nil
}

// ReleaseAbandoned implements store.Claimer.
func (c *claimer) ReleaseAbandoned(ctx context.Context) (n int, err error) {
	err = c.tx(ctx, func(tx *ent.Tx) error {
		n, err = c.table.UnleaseAll(ctx, tx.Client())
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("releasing abandoned leases of %s: %w", c.table.Name, err)
	}
	return n, nil
}

// tx runs fn in a transaction, committed when fn succeeds (the wake hooks
// notify after that commit).
func (c *claimer) tx(ctx context.Context, fn func(tx *ent.Tx) error) error {
	tx, err := c.c.Tx(ctx)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}
