package flows

import (
	"context"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/flowrun"
	"github.com/wexio/webhooks/ent/predicate"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/store"
	"github.com/wexio/webhooks/internal/workqueue"
)

// Claimer hands out due runs under a lease, like outbound.Claimer does
// deliveries: Claim leases PENDING or RUNNING runs with next_attempt_at <=
// now and no live lease, marks them RUNNING (started_at set on the first
// claim) and returns them with their flow and their log row (and its
// webhook). The SQLite version serialises claims through the
// single writer; a PostgreSQL one would use FOR UPDATE SKIP LOCKED.
type Claimer = workqueue.Claimer[*ent.FlowRun]

// NewSQLiteClaimer returns a Claimer over the writer of a SQLite database
// and its read client: the claimed runs' flow and request are loaded from
// read after the claim commits, off the writer every ingest shares (the
// request bodies are most of a claim's bytes; BenchmarkFlowPath +5%).
func NewSQLiteClaimer(w store.Writer, read *ent.Client) Claimer {
	return workqueue.NewSQLiteClaimer(w, read, runs)
}

// runs is the flow run table as a queue: new runs, and started ones whose
// lease expired (their worker died) or was released.
var runs = workqueue.Table[*ent.FlowRun]{
	Name: "flow runs",
	Expired: func(ctx context.Context, c *ent.Client, now time.Time, limit int) ([]pulid.ID, error) {
		return c.FlowRun.Query().Where(due(now)...).Where(flowrun.ClaimedUntilLT(now)).Limit(limit).IDs(ctx)
	},
	Unleased: func(ctx context.Context, c *ent.Client, now time.Time, limit int) ([]pulid.ID, error) {
		return c.FlowRun.Query().Where(due(now)...).Where(flowrun.ClaimedUntilIsNil()).
			Order(flowrun.ByNextAttemptAt()).Limit(limit).IDs(ctx)
	},
	Lease: func(ctx context.Context, c *ent.Client, ids []pulid.ID, now, until time.Time) error {
		err := c.FlowRun.Update().Where(flowrun.IDIn(ids...)).
			SetClaimedUntil(until).SetStatus(schematype.RunRunning).Exec(ctx)
		if err != nil {
			return err
		}
		return c.FlowRun.Update().Where(flowrun.IDIn(ids...), flowrun.StartedAtIsNil()).SetStartedAt(now).Exec(ctx)
	},
	Load: func(ctx context.Context, c *ent.Client, ids []pulid.ID) ([]*ent.FlowRun, error) {
		return c.FlowRun.Query().Where(flowrun.IDIn(ids...)).
			WithFlow().WithLog(func(q *ent.WebhookLogQuery) { q.WithWebhook() }).All(ctx)
	},
	Unlease: func(ctx context.Context, c *ent.Client, ids []pulid.ID) error {
		return c.FlowRun.Update().Where(flowrun.IDIn(ids...), unfinished).ClearClaimedUntil().Exec(ctx)
	},
	UnleaseAll: func(ctx context.Context, c *ent.Client) (int, error) {
		return c.FlowRun.Update().Where(flowrun.ClaimedUntilNotNil(), flowrun.NextAttemptAtNotNil(), unfinished).
			ClearClaimedUntil().Save(ctx)
	},
}

// ReleaseAbandoned makes every leased run due at once; see
// outbound.ReleaseAbandoned.
func ReleaseAbandoned(ctx context.Context, w store.Writer) (int, error) {
	return workqueue.NewSQLiteClaimer(w, nil, runs).ReleaseAbandoned(ctx)
}

// unfinished is a run not yet ended.
var unfinished = flowrun.StatusIn(schematype.RunPending, schematype.RunRunning)

// due selects the runs that may be executed at now, lease aside.
func due(now time.Time) []predicate.FlowRun {
	return []predicate.FlowRun{unfinished, flowrun.NextAttemptAtLTE(now)}
}
