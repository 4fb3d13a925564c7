package outbound

import (
	"context"
	"fmt"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/ent/webhook"
	"github.com/wexio/webhooks/internal/deliveries"
	"github.com/wexio/webhooks/internal/events"
	"github.com/wexio/webhooks/internal/outbox"
	"github.com/wexio/webhooks/internal/tenant"
)

// Endpoint health. Each recorded batch of attempts moves its webhooks'
// consecutive_failures (attempts since the last 2xx). At FailingAfter a
// webhook is FAILING: its pending deliveries are held (no attempts, no
// retries used) but one probe, the oldest held, attempted FirstProbe later,
// then at doubling waits up to MaxProbeInterval; a probe's failure uses
// no retry of its delivery. The first success makes it HEALTHY and
// releases what it held, in creation order, within its share. Each change
// emits an event (webhook.failing, webhook.recovered, webhook.disabled)
// other outbound webhooks can subscribe to. FAILING for Config.DisableAfter
// disables it (the sweep).
const (
	FailingAfter     = 20
	FirstProbe       = time.Minute
	MaxProbeInterval = time.Hour
)

// loadHealth reads the health of the batch's webhooks in the recording
// transaction: the one view every attempt of the batch is judged by.
func loadHealth(ctx context.Context, c *ent.Client, batch []*entry) (map[pulid.ID]*ent.Webhook, error) {
	ids := make([]pulid.ID, 0, 4)
	seen := map[pulid.ID]bool{}
	for _, e := range batch {
		if !seen[e.dl.WebhookID] {
			seen[e.dl.WebhookID] = true
			ids = append(ids, e.dl.WebhookID)
		}
	}
	hooks, err := c.Webhook.Query().Where(webhook.IDIn(ids...)).
		Select(webhook.FieldID, webhook.FieldWorkspaceID, webhook.FieldName, webhook.FieldStatus, webhook.FieldHealth,
			webhook.FieldConsecutiveFailures, webhook.FieldProbeIntervalSeconds, webhook.FieldLastError).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the health of %d webhooks: %w", len(ids), err)
	}
	out := make(map[pulid.ID]*ent.Webhook, len(hooks))
	for _, w := range hooks {
		out[w.ID] = w
	}
	return out, nil
}

// tally is what one batch's attempts say of one webhook.
type tally struct {
	failures    int  // since its last success in the batch, or all
	succeeded   bool // one attempt at least answered 2xx
	probeFailed bool // its probe failed
	gone        bool // the receiver answered 410
	lastError   string
}

// updateHealth moves each webhook of the batch on: its failure count,
// and the changes of state with their events.
func (d *Dispatcher) updateHealth(ctx context.Context, tx *ent.Tx, batch []*entry, hooks map[pulid.ID]*ent.Webhook) error {
	tallies := map[pulid.ID]*tally{}
	var order []pulid.ID
	for _, e := range batch {
		t := tallies[e.dl.WebhookID]
		if t == nil {
			t = &tally{}
			tallies[e.dl.WebhookID] = t
			order = append(order, e.dl.WebhookID)
		}
		switch e.v.decision.Outcome {
		case Succeeded:
			t.failures, t.succeeded = 0, true
		default:
			t.failures++
			t.lastError = e.v.decision.Reason
			t.probeFailed = t.probeFailed || e.dl.Probe
			t.gone = t.gone || e.v.decision.Outcome == Disable
		}
	}
	now := d.cfg.Now().UTC()
	for _, id := range order {
		w := hooks[id]
		if w == nil {
			continue // deleted meanwhile
		}
		if err := d.moveHealth(ctx, tx.Client(), w, tallies[id], now); err != nil {
			return fmt.Errorf("webhook %s: %w", id, err)
		}
	}
	return nil
}

// moveHealth applies t to w.
func (d *Dispatcher) moveHealth(ctx context.Context, c *ent.Client, w *ent.Webhook, t *tally, now time.Time) error {
	failures := w.ConsecutiveFailures + t.failures
	if t.succeeded {
		failures = t.failures
	}
	u := c.Webhook.UpdateOneID(w.ID)
	changed := failures != w.ConsecutiveFailures
	u.SetConsecutiveFailures(failures)
	if t.lastError != "" {
		u.SetLastError(t.lastError)
		changed = true
	}
	state := w.Health
	var emit string
	switch {
	case t.gone && w.Status != schematype.WebhookDisabled:
		// The receiver says it is gone for good: disabled now, its
		// deliveries held as disabling by hand does.
		u.SetStatus(schematype.WebhookDisabled)
		emit, changed = events.WebhookDisabled, true
	case state == schematype.HealthFailing && t.succeeded:
		u.SetHealth(schematype.HealthHealthy).SetHealthSince(now).SetProbeIntervalSeconds(0)
		emit, changed, state = events.WebhookRecovered, true, schematype.HealthHealthy
	}
	if state == schematype.HealthHealthy && failures >= FailingAfter && w.Status == schematype.WebhookActive && !t.gone {
		u.SetHealth(schematype.HealthFailing).SetHealthSince(now).SetProbeIntervalSeconds(int(FirstProbe / time.Second))
		emit, changed, state = events.WebhookFailing, true, schematype.HealthFailing
	}
	probeIn := time.Duration(0)
	switch {
	case emit == events.WebhookFailing:
		probeIn = FirstProbe
	case emit == "" && state == schematype.HealthFailing && t.probeFailed:
		probeIn = min(2*time.Duration(w.ProbeIntervalSeconds)*time.Second, MaxProbeInterval)
		probeIn = max(probeIn, FirstProbe)
		u.SetProbeIntervalSeconds(int(probeIn / time.Second))
		changed = true
	}
	if !changed {
		return nil
	}
	// Its deliveries first, the webhook's row after: the order a claim
	// locks them in (Deliveries), or the two could deadlock on PostgreSQL.
	switch {
	case emit == events.WebhookDisabled || emit == events.WebhookFailing:
		if err := deliveries.Hold(ctx, c, w.ID); err != nil {
			return err
		}
	case emit == events.WebhookRecovered && w.Status == schematype.WebhookActive:
		if err := deliveries.Release(ctx, c, w.ID, now); err != nil {
			return err
		}
	}
	w, err := u.Save(ctx)
	if err != nil {
		return fmt.Errorf("recording health: %w", err)
	}
	if probeIn > 0 && w.Status == schematype.WebhookActive {
		if _, err := deliveries.ScheduleProbe(ctx, c, w.ID, now, probeIn); err != nil {
			return err
		}
	}
	if emit != "" {
		return emitHealth(ctx, c, w, emit, now)
	}
	return nil
}

// emitHealth emits a change of w's health to the outbound webhooks of its
// workspace that subscribe to it; never another workspace's.
func emitHealth(ctx context.Context, c *ent.Client, w *ent.Webhook, typ string, now time.Time) error {
	data := map[string]any{"id": w.ID, "name": w.Name, "lastError": w.LastError}
	if _, err := outbox.Emit(tenant.WithWorkspace(ctx, string(w.WorkspaceID)), c, typ, data, now); err != nil {
		return fmt.Errorf("emitting %s: %w", typ, err)
	}
	return nil
}
