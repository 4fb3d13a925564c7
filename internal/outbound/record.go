package outbound

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/delivery"
	"github.com/wexio/webhooks/ent/predicate"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/history"
	"github.com/wexio/webhooks/internal/store"
)

// verdict is what an attempt means for its delivery.
type verdict struct {
	decision Decision
	next     time.Time // zero when final or held
	final    bool
	// held: not final, and no retry scheduled: the delivery waits for its
	// FAILING webhook to heal (a probe that failed, or an attempt of a
	// webhook found FAILING meanwhile).
	held bool
}

// judge classifies res and schedules what follows. A manual delivery gets
// exactly the one attempt it was retried for. A probe that fails as a
// retry would uses no retry: it is held for the next probe.
func (d *Dispatcher) judge(dl *ent.Delivery, res *result) verdict {
	v := d.schedule(dl, res)
	failing := dl.Probe || (dl.Edges.Webhook != nil && dl.Edges.Webhook.Health == schematype.HealthFailing)
	retried := v.decision.Outcome == Retry || v.decision.Outcome == RetryAfter
	switch {
	case dl.Probe && retried:
		v.decision.Reason = strings.TrimSuffix(v.decision.Reason, "; no retries left")
		v.final, v.next, v.held = false, time.Time{}, true
	case failing && !v.final:
		v.next, v.held = time.Time{}, true
	}
	return v
}

// schedule is judge's plain verdict: retries counted without probes.
func (d *Dispatcher) schedule(dl *ent.Delivery, res *result) verdict {
	dec := Classify(res.status, res.header, res.err, res.at, d.cfg.Backoff.Max)
	if res.decision != nil {
		dec = *res.decision
	}
	maxRetries := dl.Edges.Webhook.MaxRetries
	if maxRetries < 0 {
		maxRetries = d.cfg.MaxRetries
	}
	if dl.Manual {
		maxRetries = 0
	}
	next, final := Schedule(dec, dl.Attempts-dl.Probes, maxRetries, d.cfg.Backoff, res.at)
	if final && (dec.Outcome == Retry || dec.Outcome == RetryAfter) {
		dec.Reason += "; no retries left"
	}
	return verdict{decision: dec, next: next.UTC(), final: final}
}

// writeAttempts writes the log rows of a batch of attempts and moves their
// deliveries on, in one job: one insert and one update for all the
// successes, so the hot path costs a few statements per batch, not per
// attempt. Rows are published to live tail after the commit.
func (d *Dispatcher) writeAttempts(ctx context.Context, tx *ent.Tx, h *store.Hooks, batch []*entry) error {
	hooks, err := loadHealth(ctx, tx.Client(), batch)
	if err != nil {
		return err
	}
	logs := make([]*history.LogRow, len(batch))
	succeeded := map[string][]pulid.ID{} // by claim token: few per batch
	for i, e := range batch {
		logs[i] = e.log
		if w := hooks[e.dl.WebhookID]; w != nil {
			// The attempt was judged on the webhook as the dispatcher's cache
			// had it; the row is what holds or releases.
			switch failing := w.Health == schematype.HealthFailing; {
			case failing && !e.v.final && !e.v.held:
				e.v.next, e.v.held = time.Time{}, true
			case !failing && e.v.held:
				e.v = d.schedule(e.dl, e.res)
			}
		}
		if e.v.final && e.v.decision.Outcome == Succeeded {
			tok := tokenOf(e.dl)
			succeeded[tok] = append(succeeded[tok], e.dl.ID)
		} else if held, err := updateDelivery(ctx, tx, e); err != nil {
			return err
		} else if !held {
			d.lostLeases(1)
		}
	}
	if err := history.InsertLogs(ctx, tx, d.deps.Dialect, logs...); err != nil {
		return err
	}
	for token, ids := range succeeded {
		n, err := tx.Delivery.Update().Where(delivery.IDIn(ids...), heldBy(token)).
			AddAttempts(1).ClearClaimedUntil().ClearClaimToken().
			SetStatus(schematype.DeliverySucceeded).ClearNextAttemptAt().Save(ctx)
		if err != nil {
			return fmt.Errorf("marking deliveries succeeded: %w", err)
		}
		if n < len(ids) {
			d.lostLeases(len(ids) - n)
		}
	}
	// The leases ended in this transaction: off the count now, where a
	// claim later in it, or after it, reads the table without them
	// (Dispatcher.awaiting). Should the transaction roll back, the leases
	// are back and counted twice over: a claim then takes less, never more.
	for _, e := range batch {
		d.done(e)
	}
	if err := d.updateHealth(ctx, tx, batch, hooks); err != nil {
		return err
	}
	// Leases ended: webhooks at their share have room again, an ordered
	// webhook's next delivery may go, a retry was scheduled that the claim
	// loop, asleep until the next due delivery it knew of, must see.
	h.AfterCommit(d.queue.Notify)
	if obs := d.deps.Observer; obs != nil {
		h.AfterCommit(func() {
			for _, e := range batch {
				obs.Attempt(e.log.Log().Outcome, e.res.status, e.res.duration)
			}
		})
	}
	if pub := d.deps.Publisher; pub != nil {
		rows := make([]*ent.WebhookLog, len(logs))
		for i, l := range logs {
			rows[i] = l.Log()
		}
		h.AfterCommit(func() { pub.Publish(rows...) })
	}
	return nil
}

// tokenOf is the claim token dl was claimed with ("" for none).
func tokenOf(dl *ent.Delivery) string {
	if dl.ClaimToken == nil {
		return ""
	}
	return *dl.ClaimToken
}

// heldBy selects deliveries still held by claim token: one whose lease ran
// out and was claimed again (by another server, or this one) has another
// token, and its new holder decides what becomes of it.
func heldBy(token string) predicate.Delivery {
	if token == "" {
		return delivery.ClaimTokenIsNil()
	}
	return delivery.ClaimToken(token)
}

// lostLeases notes attempts whose deliveries had been claimed again by the
// time they were recorded: the attempts are logged, their deliveries are
// their new holder's (at least once: the receiver may see them twice).
func (d *Dispatcher) lostLeases(n int) {
	d.cfg.Log.Warn("attempts recorded after their leases were claimed again; their deliveries are left to the new claim", "count", n)
}

// updateDelivery moves a delivery that did not succeed on and drops its
// lease (a 410 disables its webhook: updateHealth); held is false when the
// delivery had been claimed again meanwhile, and nothing was changed.
func updateDelivery(ctx context.Context, tx *ent.Tx, e *entry) (held bool, err error) {
	u := tx.Delivery.Update().Where(delivery.ID(e.dl.ID), heldBy(tokenOf(e.dl))).AddAttempts(1).ClearClaimedUntil().ClearClaimToken()
	if e.dl.Probe {
		u.SetProbe(false) // the webhook's health decides what probes next
		if e.v.held {
			u.AddProbes(1) // a probe's failure uses no retry
		}
	}
	switch {
	case e.v.held:
		u.SetStatus(schematype.DeliveryPending).ClearNextAttemptAt()
	case !e.v.final:
		u.SetStatus(schematype.DeliveryPending).SetNextAttemptAt(e.v.next)
	case e.v.decision.Outcome == Succeeded:
		u.SetStatus(schematype.DeliverySucceeded).ClearNextAttemptAt()
	default:
		u.SetStatus(schematype.DeliveryFailed).ClearNextAttemptAt()
	}
	n, err := u.Save(ctx)
	if err != nil {
		return false, fmt.Errorf("updating delivery: %w", err)
	}
	return n > 0, nil
}

// logAttempt logs a delivery that ends failed at info and any other attempt
// at debug; never secrets.
func (d *Dispatcher) logAttempt(e *entry) {
	// An attempt that will be retried is at debug like a success: with a
	// receiver down, every event's every attempt at info was 86 MB of log
	// in 17 minutes of a soak, and each one is a history row anyway. A
	// delivery that ends failed (retries out, 410, refused) is at info.
	level := slog.LevelDebug
	if e.v.final && e.v.decision.Outcome != Succeeded {
		level = slog.LevelInfo
	}
	// Checked first: the attributes alone cost allocations per delivery.
	if !d.cfg.Log.Enabled(context.Background(), level) {
		return
	}
	outcome := e.v.decision.Outcome.String()
	if e.v.final && (e.v.decision.Outcome == Retry || e.v.decision.Outcome == RetryAfter) {
		outcome = Failed.String() // retried no more, whatever the answer asked
	}
	d.cfg.Log.Log(context.Background(), level, "delivery attempt",
		"delivery_id", e.dl.ID, "webhook_id", e.dl.WebhookID, "event_id", e.dl.EventID,
		"attempt", e.dl.Attempts+1, "outcome", outcome,
		"status_code", e.res.status, "duration_ms", e.res.duration.Milliseconds(),
		"reason", e.v.decision.Reason, "final", e.v.final)
}
