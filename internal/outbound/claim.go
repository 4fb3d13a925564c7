package outbound

import (
	"context"
	"fmt"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/delivery"
	"github.com/wexio/webhooks/ent/event"
	"github.com/wexio/webhooks/ent/predicate"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/ent/webhook"
	"github.com/wexio/webhooks/internal/store"
	"github.com/wexio/webhooks/internal/workqueue"
)

// Claimer hands out due deliveries under a lease: Claim returns PENDING
// deliveries with next_attempt_at <= now, no live lease and an ACTIVE
// webhook, with their webhook and event loaded. How a claim locks is the
// store's (store.Claimer). The dispatcher only sees this interface.
type Claimer = workqueue.Claimer[*ent.Delivery]

// NewClaimer returns a Claimer of the deliveries ids claims (the store's
// claimer of Deliveries), loaded through read.
func NewClaimer(ids store.Claimer, read *ent.Client, dialect string) Claimer {
	return &deliveryClaimer{Rows: workqueue.NewRows("deliveries", ids, read, loadDeliveries).WithNextDue(nextDue),
		dialect: dialect}
}

// deliveryClaimer is the rows' claimer, with the notes its claims leave
// each other (claimNotes).
type deliveryClaimer struct {
	*workqueue.Rows[*ent.Delivery]
	notes   claimNotes
	dialect string // the store's (store.Store.Dialect)
}

// Claim implements Claimer.
func (c *deliveryClaimer) Claim(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]*ent.Delivery, error) {
	return c.Rows.Claim(context.WithValue(ctx, claimKey{}, &claim{notes: &c.notes, dialect: c.dialect}), now, limit, lease)
}

// claim is one claim of a deliveryClaimer. It rides the claim's context
// through the store's claimer, which is shared and knows nothing of it:
// the notes the claims leave each other, for the fair shares (shareDue),
// and the rows the claim read and leased, as an attempt reads them but
// their edges, so that the load after it (loadDeliveries) need not read
// them again.
type claim struct {
	notes   *claimNotes
	dialect string
	taken   map[pulid.ID]*ent.Delivery // read by shareDue (attemptColumns but the lease's)
	token   string                     // the lease's, once it ran
	leased  time.Time                  // until when
}

type claimKey struct{}

// claimOf returns the claim ctx belongs to, nil outside one.
func claimOf(ctx context.Context) *claim {
	c, _ := ctx.Value(claimKey{}).(*claim)
	return c
}

// rows returns the rows of ids the claim read, leased by token, or false
// when it did not read them all (an ordered webhook's head, read apart).
func (c *claim) rows(ids []pulid.ID, token string) ([]*ent.Delivery, bool) {
	if c == nil || c.token != token || c.token == "" {
		return nil, false
	}
	out := make([]*ent.Delivery, len(ids))
	for i, id := range ids {
		d := c.taken[id]
		if d == nil {
			return nil, false
		}
		until := c.leased
		d.ClaimToken, d.ClaimedUntil = &c.token, &until
		out[i] = d
	}
	return out, true
}

// NextDue implements workqueue.NextDuer: the next retry, or the next turn
// of a rate-limited webhook left waiting, whichever comes first; a turn
// already come wakes the loop at once.
func (c *deliveryClaimer) NextDue(ctx context.Context, now time.Time) (time.Time, bool, error) {
	at, ok, err := c.Rows.NextDue(ctx, now)
	if turn := c.notes.takeWake(); !turn.IsZero() && (!ok || turn.Before(at)) {
		return turn, true, err
	}
	return at, ok, err
}

// Created notes that deliveries were created (Dispatcher.Notify): the
// next claim reads past webhooks at their share for them.
func (c *deliveryClaimer) Created() { c.notes.created() }

// CountFinished gives the claims the count of a webhook's attempts this
// process made whose leases end when their rows commit.
func (c *deliveryClaimer) CountFinished(f func(pulid.ID) int) {
	c.notes.mu.Lock()
	defer c.notes.mu.Unlock()
	c.notes.finished = f
}

// nextDue is the earliest time after now an unclaimed delivery comes due
// (its retry), read on the due index: the dispatcher wakes for it rather
// than at its next poll.
func nextDue(ctx context.Context, c *ent.Client, now time.Time) (time.Time, bool, error) {
	d, err := c.Delivery.Query().Where(delivery.StatusEQ(schematype.DeliveryPending), delivery.ClaimedUntilIsNil(),
		delivery.NextAttemptAtGT(now)).Order(delivery.ByNextAttemptAt()).Select(delivery.FieldNextAttemptAt).First(ctx)
	if ent.IsNotFound(err) {
		return time.Time{}, false, nil
	}
	if err != nil || d.NextAttemptAt == nil {
		return time.Time{}, false, err
	}
	return *d.NextAttemptAt, true, nil
}

// loadDeliveries reads the deliveries of claim token with their webhook
// and event: one claimed again by someone else meanwhile is not ours.
// Only the columns an attempt reads (attemptColumns, eventColumns): the
// times it does not need cost a parse each, and reading every column of
// both rows took a third longer (BenchmarkLoadClaimed). The rows a claim
// read itself (claim.rows) need only their edges.
func loadDeliveries(ctx context.Context, c *ent.Client, ids []pulid.ID, token string) ([]*ent.Delivery, error) {
	if rows, ok := claimOf(ctx).rows(ids, token); ok {
		return loadEdges(ctx, c, rows)
	}
	return c.Delivery.Query().Where(delivery.IDIn(ids...), delivery.ClaimToken(token)).Select(attemptColumns...).
		WithWebhook().WithEvent(func(q *ent.EventQuery) { q.Select(eventColumns...) }).All(ctx)
}

// loadEdges reads the webhooks and events of a claim's rows, as
// loadDeliveries' query does. A row whose webhook is gone was deleted with
// it since the claim (the cascade), and is left out as that query leaves
// it.
func loadEdges(ctx context.Context, c *ent.Client, rows []*ent.Delivery) ([]*ent.Delivery, error) {
	var hooks []pulid.ID
	seen := map[pulid.ID]bool{}
	evs := make([]pulid.ID, len(rows))
	for i, d := range rows {
		if !seen[d.WebhookID] {
			seen[d.WebhookID] = true
			hooks = append(hooks, d.WebhookID)
		}
		evs[i] = d.EventID
	}
	ws, err := c.Webhook.Query().Where(webhook.IDIn(hooks...)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the webhooks of claimed deliveries: %w", err)
	}
	es, err := c.Event.Query().Where(event.IDIn(evs...)).Select(eventColumns...).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the events of claimed deliveries: %w", err)
	}
	byHook := make(map[pulid.ID]*ent.Webhook, len(ws))
	for _, w := range ws {
		byHook[w.ID] = w
	}
	byEvent := make(map[pulid.ID]*ent.Event, len(es))
	for _, e := range es {
		byEvent[e.ID] = e
	}
	out := rows[:0]
	for _, d := range rows {
		d.Edges.Webhook, d.Edges.Event = byHook[d.WebhookID], byEvent[d.EventID]
		if d.Edges.Webhook != nil && d.Edges.Event != nil {
			out = append(out, d)
		}
	}
	return out, nil
}

// attemptColumns are the columns of a delivery that an attempt reads, to
// make it, judge it and record it (and its lease's end, for one that
// waits at the gate); eventColumns those of its event, for
// the envelope and the history row's counters.
var (
	attemptColumns = []string{delivery.FieldID, delivery.FieldWorkspaceID, delivery.FieldEventID, delivery.FieldWebhookID,
		delivery.FieldStatus, delivery.FieldAttempts, delivery.FieldProbes, delivery.FieldProbe, delivery.FieldManual,
		delivery.FieldClaimToken, delivery.FieldClaimedUntil}
	eventColumns = []string{event.FieldID, event.FieldType, event.FieldOccurredAt, event.FieldData}
)

// Deliveries is the delivery table as a queue. A PAUSED or DISABLED
// webhook's deliveries are held without a due time (outbox.Deliver,
// webhooks.SetStatus); the webhook check only covers one rescheduled by an
// attempt in flight when the webhook was paused.
var Deliveries = store.LeaseTable{
	Name: "deliveries",
	Due:  shareDue,
	Expired: func(ctx context.Context, c *ent.Client, now time.Time, limit int, lock bool) ([]pulid.ID, error) {
		return store.LockIf(c.Delivery.Query().Where(due(now)...).Where(delivery.ClaimedUntilLT(now)).Limit(limit), lock).IDs(ctx)
	},
	Unleased: func(ctx context.Context, c *ent.Client, now time.Time, limit int, lock bool) ([]pulid.ID, error) {
		return store.LockIf(c.Delivery.Query().Where(due(now)...).Where(delivery.ClaimedUntilIsNil()).
			Order(delivery.ByNextAttemptAt()).Limit(limit), lock).IDs(ctx)
	},
	Lease: func(ctx context.Context, c *ent.Client, ids []pulid.ID, _, until time.Time, token string) error {
		err := c.Delivery.Update().Where(delivery.IDIn(ids...)).SetClaimedUntil(until).SetClaimToken(token).Exec(ctx)
		if cl := claimOf(ctx); cl != nil && err == nil {
			cl.token, cl.leased = token, until
		}
		return err
	},
	Unlease: func(ctx context.Context, c *ent.Client, ids []pulid.ID) error {
		return c.Delivery.Update().Where(delivery.IDIn(ids...), delivery.StatusEQ(schematype.DeliveryPending)).
			ClearClaimedUntil().Exec(ctx)
	},
	UnleaseAll: func(ctx context.Context, c *ent.Client) (int, error) {
		// Leased rows are due ones: the due index finds them.
		return c.Delivery.Update().Where(delivery.ClaimedUntilNotNil(), delivery.NextAttemptAtNotNil(),
			delivery.StatusEQ(schematype.DeliveryPending)).ClearClaimedUntil().Save(ctx)
	},
	UnleaseHeldBy: func(ctx context.Context, c *ent.Client, prefix string) (int, error) {
		// The token goes too: the dead holder, should it wake, finishes
		// nothing.
		return c.Delivery.Update().Where(delivery.ClaimedUntilNotNil(), delivery.NextAttemptAtNotNil(),
			delivery.StatusEQ(schematype.DeliveryPending), delivery.ClaimTokenHasPrefix(prefix)).
			ClearClaimedUntil().ClearClaimToken().Save(ctx)
	},
}

// due selects what may be attempted at now, lease aside.
func due(now time.Time) []predicate.Delivery {
	return []predicate.Delivery{
		delivery.StatusEQ(schematype.DeliveryPending),
		delivery.NextAttemptAtLTE(now),
		delivery.HasWebhookWith(webhook.StatusEQ(schematype.WebhookActive)),
	}
}

// Backlog is the outbound queue as an operator watches it: how many
// deliveries are due at now and claimed by no server (counted up to
// limit), and how long the oldest of them has been due. Both read the due
// index, as claims do, whatever the size of the table.
func Backlog(ctx context.Context, c *ent.Client, now time.Time, limit int) (int, time.Duration, error) {
	q := func() *ent.DeliveryQuery {
		return c.Delivery.Query().Where(due(now)...).Where(delivery.ClaimedUntilIsNil())
	}
	ids, err := q().Limit(limit).IDs(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("counting due deliveries: %w", err)
	}
	if len(ids) == 0 {
		return 0, 0, nil
	}
	oldest, err := q().Order(delivery.ByNextAttemptAt()).Select(delivery.FieldNextAttemptAt).First(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("finding the oldest due delivery: %w", err)
	}
	var lag time.Duration
	if oldest.NextAttemptAt != nil {
		lag = max(now.Sub(*oldest.NextAttemptAt), 0)
	}
	return len(ids), lag, nil
}
