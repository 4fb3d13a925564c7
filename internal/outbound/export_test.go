package outbound

import (
	"context"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/internal/db/dbtest"
	"github.com/wexio/webhooks/internal/store"
	"github.com/wexio/webhooks/internal/workqueue"
)

// AttemptOnly makes an attempt at dl and builds its history row as the
// dispatcher does, but neither claims nor records it: BenchmarkDispatch's
// measure of the pipeline without its database work. It reports whether
// the attempt succeeded.
func (d *Dispatcher) AttemptOnly(ctx context.Context, dl *ent.Delivery) (bool, error) {
	res := d.send(ctx, dl)
	e := &entry{dl: dl, res: res, v: d.judge(dl, res)}
	if _, err := newLogRow(e); err != nil {
		return false, err
	}
	return e.v.decision.Outcome == Succeeded, nil
}

// LoadDeliveries is the claimer's load of claimed deliveries.
var LoadDeliveries = loadDeliveries

// Leasable is how many leases a claim may take of a webhook of share n
// here: twice it where one process dispatches (SQLite), its waiting half
// held at the gate; n where several servers claim (PostgreSQL).
func Leasable(n int) int {
	if dbtest.Postgres() {
		return n
	}
	return n * shareLookahead
}

// NewClaimerHooked is NewClaimer, calling beforeLoad between a claim's
// commit and its load with how many of the claimed rows the load takes
// from the claim's own read (claim.rows) rather than reading them again.
func NewClaimerHooked(ids store.Claimer, read *ent.Client, dialect string, beforeLoad func(fromClaim int)) Claimer {
	load := func(ctx context.Context, c *ent.Client, ids []pulid.ID, token string) ([]*ent.Delivery, error) {
		n := 0
		if _, ok := claimOf(ctx).rows(ids, token); ok {
			n = len(ids)
		}
		beforeLoad(n)
		return loadDeliveries(ctx, c, ids, token)
	}
	return &deliveryClaimer{Rows: workqueue.NewRows("deliveries", ids, read, load).WithNextDue(nextDue), dialect: dialect}
}
