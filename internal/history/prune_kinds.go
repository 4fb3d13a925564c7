package history

import (
	"context"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/delivery"
	"github.com/wexio/webhooks/ent/event"
	"github.com/wexio/webhooks/ent/flowrun"
	"github.com/wexio/webhooks/ent/idempotencykey"
	"github.com/wexio/webhooks/ent/predicate"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/ent/webhooklog"
)

// kind is one table the pruner empties: find picks up to n expired ids on
// the read pool, del deletes those of them that still qualify (the rows may
// have changed since) inside a writer job and says how many went.
type kind struct {
	name  string
	count *int
	find  func(ctx context.Context, c *ent.Client, cutoff time.Time, n int) ([]pulid.ID, error)
	del   func(ctx context.Context, c *ent.Client, ids []pulid.ID, cutoff time.Time) (int, error)
}

var (
	finishedDeliveries = delivery.StatusIn(schematype.DeliverySucceeded, schematype.DeliveryFailed)
	finishedRuns       = flowrun.StatusIn(schematype.RunSucceeded, schematype.RunFailed)
)

// expiredLog selects the log rows older than cutoff by their ids, which
// follow occurred_at (filter.go): the primary key finds them oldest first,
// and occurred_at needs no index of its own, which every log row written
// would pay for. A row whose id was minted up to a minute before its
// occurred_at (a clock stepping back) is kept that much longer, none is
// deleted early; an attempt's row, minted when the attempt ended, goes
// with the ids of its time, minutes late at most.
func expiredLog(cutoff time.Time) predicate.WebhookLog {
	id, ok := idAt(cutoff.Add(-idSlackBefore))
	if !ok {
		return webhooklog.OccurredAtLT(cutoff) // before 1970: nothing is that old
	}
	return webhooklog.IDLT(id)
}

// kinds lists the tables in deletion order, counting into c.
//
// A delivery expires by updated_at, its last attempt or retry, not by its
// event's age: a delivery retried by hand yesterday keeps its event and the
// link from yesterday's log rows. An event goes once it is old and no
// delivery is left. A run expires by finished_at.
func kinds(c *Counts) []kind {
	return []kind{
		{name: "flow runs", count: &c.FlowRuns,
			find: func(ctx context.Context, cl *ent.Client, cutoff time.Time, n int) ([]pulid.ID, error) {
				return cl.FlowRun.Query().Where(finishedRuns, flowrun.FinishedAtLT(cutoff)).Limit(n).IDs(ctx)
			},
			del: func(ctx context.Context, cl *ent.Client, ids []pulid.ID, cutoff time.Time) (int, error) {
				return cl.FlowRun.Delete().Where(flowrun.IDIn(ids...), finishedRuns, flowrun.FinishedAtLT(cutoff)).Exec(ctx)
			}},
		{name: "log rows", count: &c.Logs,
			find: func(ctx context.Context, cl *ent.Client, cutoff time.Time, n int) ([]pulid.ID, error) {
				return cl.WebhookLog.Query().Where(expiredLog(cutoff)).
					Order(webhooklog.ByID()).Limit(n).IDs(ctx)
			},
			del: func(ctx context.Context, cl *ent.Client, ids []pulid.ID, cutoff time.Time) (int, error) {
				return cl.WebhookLog.Delete().Where(webhooklog.IDIn(ids...), expiredLog(cutoff)).Exec(ctx)
			}},
		{name: "idempotency records", count: &c.IdempotencyKeys,
			find: func(ctx context.Context, cl *ent.Client, cutoff time.Time, n int) ([]pulid.ID, error) {
				return cl.IdempotencyKey.Query().Where(idempotencykey.CreatedAtLT(cutoff)).Limit(n).IDs(ctx)
			},
			del: func(ctx context.Context, cl *ent.Client, ids []pulid.ID, cutoff time.Time) (int, error) {
				return cl.IdempotencyKey.Delete().Where(idempotencykey.IDIn(ids...), idempotencykey.CreatedAtLT(cutoff)).Exec(ctx)
			}},
		{name: "deliveries", count: &c.Deliveries,
			find: func(ctx context.Context, cl *ent.Client, cutoff time.Time, n int) ([]pulid.ID, error) {
				return cl.Delivery.Query().Where(finishedDeliveries, delivery.UpdatedAtLT(cutoff)).Limit(n).IDs(ctx)
			},
			del: func(ctx context.Context, cl *ent.Client, ids []pulid.ID, cutoff time.Time) (int, error) {
				return cl.Delivery.Delete().Where(delivery.IDIn(ids...), finishedDeliveries, delivery.UpdatedAtLT(cutoff)).Exec(ctx)
			}},
		{name: "events", count: &c.Events,
			find: func(ctx context.Context, cl *ent.Client, cutoff time.Time, n int) ([]pulid.ID, error) {
				return cl.Event.Query().Where(event.OccurredAtLT(cutoff), event.Not(event.HasDeliveries())).Limit(n).IDs(ctx)
			},
			del: func(ctx context.Context, cl *ent.Client, ids []pulid.ID, cutoff time.Time) (int, error) {
				return cl.Event.Delete().Where(event.IDIn(ids...), event.OccurredAtLT(cutoff), event.Not(event.HasDeliveries())).Exec(ctx)
			}},
	}
}
