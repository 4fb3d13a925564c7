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
// webhook). How a claim locks is the store's (store.Claimer).
type Claimer = workqueue.Claimer[*ent.FlowRun]

// NewClaimer returns a Claimer of the runs ids claims (the store's claimer
// of Runs): the claimed runs' flow and request are loaded from read after
// the claim commits, off the writer every ingest shares (the request
// bodies are most of a claim's bytes; BenchmarkFlowPath +5%).
func NewClaimer(ids store.Claimer, read *ent.Client) Claimer {
	return workqueue.NewRows("flow runs", ids, read, loadRuns)
}

// loadRuns reads the runs of claim token with what executing them needs:
// one claimed again by someone else meanwhile is not ours.
func loadRuns(ctx context.Context, c *ent.Client, ids []pulid.ID, token string) ([]*ent.FlowRun, error) {
	return c.FlowRun.Query().Where(flowrun.IDIn(ids...), flowrun.ClaimToken(token)).
		WithFlow().WithLog(func(q *ent.WebhookLogQuery) { q.WithWebhook() }).All(ctx)
}

// Runs is the flow run table as a queue: new runs, and started ones whose
// lease expired (their worker died) or was released.
var Runs = store.LeaseTable{
	Name: "flow runs",
	Expired: func(ctx context.Context, c *ent.Client, now time.Time, limit int, lock bool) ([]pulid.ID, error) {
		return store.LockIf(c.FlowRun.Query().Where(due(now)...).Where(flowrun.ClaimedUntilLT(now)).Limit(limit), lock).IDs(ctx)
	},
	Unleased: func(ctx context.Context, c *ent.Client, now time.Time, limit int, lock bool) ([]pulid.ID, error) {
		return store.LockIf(c.FlowRun.Query().Where(due(now)...).Where(flowrun.ClaimedUntilIsNil()).
			Order(flowrun.ByNextAttemptAt()).Limit(limit), lock).IDs(ctx)
	},
	Lease: func(ctx context.Context, c *ent.Client, ids []pulid.ID, now, until time.Time, token string) error {
		err := c.FlowRun.Update().Where(flowrun.IDIn(ids...)).
			SetClaimedUntil(until).SetClaimToken(token).SetStatus(schematype.RunRunning).Exec(ctx)
		if err != nil {
			return err
		}
		return c.FlowRun.Update().Where(flowrun.IDIn(ids...), flowrun.StartedAtIsNil()).SetStartedAt(now).Exec(ctx)
	},
	Unlease: func(ctx context.Context, c *ent.Client, ids []pulid.ID) error {
		return c.FlowRun.Update().Where(flowrun.IDIn(ids...), unfinished).ClearClaimedUntil().Exec(ctx)
	},
	UnleaseAll: func(ctx context.Context, c *ent.Client) (int, error) {
		return c.FlowRun.Update().Where(flowrun.ClaimedUntilNotNil(), flowrun.NextAttemptAtNotNil(), unfinished).
			ClearClaimedUntil().Save(ctx)
	},
	UnleaseHeldBy: func(ctx context.Context, c *ent.Client, prefix string) (int, error) {
		return c.FlowRun.Update().Where(flowrun.ClaimedUntilNotNil(), flowrun.NextAttemptAtNotNil(), unfinished,
			flowrun.ClaimTokenHasPrefix(prefix)).ClearClaimedUntil().ClearClaimToken().Save(ctx)
	},
}

// unfinished is a run not yet ended.
var unfinished = flowrun.StatusIn(schematype.RunPending, schematype.RunRunning)

// due selects the runs that may be executed at now, lease aside.
func due(now time.Time) []predicate.FlowRun {
	return []predicate.FlowRun{unfinished, flowrun.NextAttemptAtLTE(now)}
}
