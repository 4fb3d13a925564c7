package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/internal/groupcommit"
	"github.com/wexio/webhooks/internal/store"
)

// claimer claims through the group-commit writer: a claim is one short job
// in a write transaction (BEGIN IMMEDIATE), so no two claims overlap and
// no work ever runs while the lock is held.
type claimer struct {
	w      *groupcommit.Writer
	table  store.LeaseTable
	holder string // this process's, in every claim's token
}

var _ store.Claimer = (*claimer)(nil)

// Claim implements store.Claimer.
func (c *claimer) Claim(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]pulid.ID, string, error) {
	var ids []pulid.ID
	now = now.UTC()
	token := store.NewToken(c.holder)
	err := c.w.Do(ctx, func(ctx context.Context, tx *ent.Tx, _ *store.Hooks) error {
		var err error
		if ids, err = c.table.DueIDs(ctx, tx.Client(), now, limit, false); err != nil || len(ids) == 0 {
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
	err := c.w.Do(ctx, func(ctx context.Context, tx *ent.Tx, _ *store.Hooks) error {
		return c.table.Unlease(ctx, tx.Client(), ids)
	})
	if err != nil {
		return fmt.Errorf("releasing %d leases of %s: %w", len(ids), c.table.Name, err)
	}
	return nil
}

// ReleaseAbandoned implements store.Claimer.
func (c *claimer) ReleaseAbandoned(ctx context.Context) (int, error) {
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
