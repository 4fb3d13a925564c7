package flows

import (
	"context"
	"fmt"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/flowrun"
	"github.com/wexio/webhooks/ent/predicate"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/groupcommit"
	"github.com/wexio/webhooks/internal/workqueue"
)

// Claimer hands out due runs under a lease, like outbound.Claimer does
// deliveries: Claim leases PENDING or RUNNING runs with next_attempt_at <=
// now and no live lease, marks them RUNNING (started_at set on the first
// claim) and returns them with their flow (and its webhook) and their log
// row (and its webhook). The SQLite version serialises claims through the
// single writer; a PostgreSQL one would use FOR UPDATE SKIP LOCKED.
type Claimer = workqueue.Claimer[*ent.FlowRun]

var _ Claimer = (*SQLiteClaimer)(nil)

// SQLiteClaimer claims in one short job of the group-commit writer.
type SQLiteClaimer struct {
	w    *groupcommit.Writer
	read *ent.Client
}

// NewSQLiteClaimer returns a Claimer over the writer of a SQLite database
// and its read client: the claimed runs' flow and request are loaded from
// read after the claim commits, off the writer every ingest shares (the
// request bodies are most of a claim's bytes; BenchmarkFlowPath +5%).
func NewSQLiteClaimer(w *groupcommit.Writer, read *ent.Client) *SQLiteClaimer {
	return &SQLiteClaimer{w: w, read: read}
}

// Claim implements Claimer. ctx must allow system access (auth.System).
func (c *SQLiteClaimer) Claim(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]*ent.FlowRun, error) {
	var ids []pulid.ID
	now = now.UTC()
	err := c.w.Do(ctx, func(ctx context.Context, tx *ent.Tx, _ *groupcommit.Hooks) error {
		var err error
		if ids, err = dueIDs(ctx, tx.Client(), now, limit); err != nil || len(ids) == 0 {
			return err
		}
		err = tx.FlowRun.Update().Where(flowrun.IDIn(ids...)).
			SetClaimedUntil(now.Add(lease)).SetStatus(schematype.RunRunning).Exec(ctx)
		if err != nil {
			return err
		}
		err = tx.FlowRun.Update().Where(flowrun.IDIn(ids...), flowrun.StartedAtIsNil()).
			SetStartedAt(now).Exec(ctx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("claiming due flow runs: %w", err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	out, err := c.read.FlowRun.Query().Where(flowrun.IDIn(ids...)).
		WithFlow(func(q *ent.FlowQuery) { q.WithWebhook() }).
		WithLog(func(q *ent.WebhookLogQuery) { q.WithWebhook() }).
		All(ctx)
	if err != nil {
		// The leases stand: the runs are claimed again when they expire.
		return nil, fmt.Errorf("loading claimed flow runs: %w", err)
	}
	return out, nil
}

// dueIDs returns up to limit runs that may be executed now: first those
// whose lease expired (their worker died), then unleased ones (new,
// released or retried) in due order. Each is one range of the
// (claimed_until, next_attempt_at) index, so the runs in flight are never
// scanned.
func dueIDs(ctx context.Context, c *ent.Client, now time.Time, limit int) ([]pulid.ID, error) {
	due := []predicate.FlowRun{
		flowrun.StatusIn(schematype.RunPending, schematype.RunRunning),
		flowrun.NextAttemptAtLTE(now),
	}
	expired, err := c.FlowRun.Query().Where(due...).Where(flowrun.ClaimedUntilLT(now)).
		Limit(limit).IDs(ctx)
	if err != nil || len(expired) == limit {
		return expired, err
	}
	fresh, err := c.FlowRun.Query().Where(due...).Where(flowrun.ClaimedUntilIsNil()).
		Order(flowrun.ByNextAttemptAt()).Limit(limit - len(expired)).IDs(ctx)
	return append(expired, fresh...), err
}

// Release implements Claimer.
func (c *SQLiteClaimer) Release(ctx context.Context, ids []pulid.ID) error {
	if len(ids) == 0 {
		return nil
	}
	err := c.w.Do(ctx, func(ctx context.Context, tx *ent.Tx, _ *groupcommit.Hooks) error {
		return tx.FlowRun.Update().
			Where(flowrun.IDIn(ids...), flowrun.StatusIn(schematype.RunPending, schematype.RunRunning)).
			ClearClaimedUntil().Exec(ctx)
	})
	if err != nil {
		return fmt.Errorf("releasing %d flow run leases: %w", len(ids), err)
	}
	return nil
}
