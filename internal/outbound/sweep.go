package outbound

import (
	"context"
	"fmt"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/delivery"
	"github.com/wexio/webhooks/ent/predicate"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/ent/webhook"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/deliveries"
	"github.com/wexio/webhooks/internal/events"
	"github.com/wexio/webhooks/internal/store"
)

// Sweep disables the webhooks FAILING for Config.DisableAfter, and mends
// what a cached view of a webhook can leave behind: a delivery created
// held for a webhook that had healed (released), a FAILING webhook
// holding deliveries with no probe scheduled (its oldest probes now).
// Every server may sweep: each change is conditional, so a webhook is
// disabled, and its event emitted, once.
func (d *Dispatcher) Sweep(ctx context.Context) error {
	ctx = auth.System(ctx)
	now := d.cfg.Now().UTC()
	expired, err := d.deps.Read.Webhook.Query().Where(webhook.DirectionEQ(schematype.DirectionOutbound),
		webhook.StatusEQ(schematype.WebhookActive), webhook.HealthEQ(schematype.HealthFailing),
		webhook.HealthSinceLTE(now.Add(-d.cfg.DisableAfter))).IDs(ctx)
	if err != nil {
		return fmt.Errorf("finding webhooks failing too long: %w", err)
	}
	for _, id := range expired {
		err := d.deps.Writer.Do(ctx, func(ctx context.Context, tx *ent.Tx, h *store.Hooks) error {
			still := []predicate.Webhook{webhook.ID(id), webhook.StatusEQ(schematype.WebhookActive),
				webhook.HealthEQ(schematype.HealthFailing), webhook.HealthSinceLTE(now.Add(-d.cfg.DisableAfter))}
			if ok, err := tx.Webhook.Query().Where(still...).Exist(ctx); err != nil || !ok {
				return err
			}
			// Its deliveries first, the webhook's row after: the order a
			// claim locks them in. Holding them twice (another server's
			// sweep) changes nothing; the update below is done once (one
			// that healed meanwhile has its hold mended by mendHeld).
			if err := deliveries.Hold(ctx, tx.Client(), id); err != nil {
				return err
			}
			n, err := tx.Webhook.Update().Where(still...).SetStatus(schematype.WebhookDisabled).Save(ctx)
			if err != nil || n == 0 {
				return err
			}
			w, err := tx.Webhook.Get(ctx, id)
			if err != nil {
				return err
			}
			h.AfterCommit(d.queue.Notify)
			return emitHealth(ctx, tx.Client(), w, events.WebhookDisabled, now)
		})
		if err != nil {
			return fmt.Errorf("disabling webhook %s: %w", id, err)
		}
		d.cfg.Log.Info("webhook disabled: failing too long", "webhook_id", id, "failing_for_at_least", d.cfg.DisableAfter)
	}
	return d.mendHeld(ctx, now)
}

// mendHeld releases what an ACTIVE HEALTHY webhook holds, and gives a
// FAILING one that holds deliveries without a probe its probe now.
func (d *Dispatcher) mendHeld(ctx context.Context, now time.Time) error {
	hooks, err := d.deps.Read.Webhook.Query().Where(webhook.DirectionEQ(schematype.DirectionOutbound),
		webhook.StatusEQ(schematype.WebhookActive),
		webhook.HasDeliveriesWith(delivery.StatusEQ(schematype.DeliveryPending), delivery.NextAttemptAtIsNil())).
		Select(webhook.FieldID, webhook.FieldHealth).All(ctx)
	if err != nil {
		return fmt.Errorf("finding webhooks holding deliveries: %w", err)
	}
	for _, w := range hooks {
		err := d.deps.Writer.Do(ctx, func(ctx context.Context, tx *ent.Tx, h *store.Hooks) error {
			// Read again in the transaction: it may have changed since.
			cur, err := tx.Webhook.Query().Where(webhook.ID(w.ID), webhook.StatusEQ(schematype.WebhookActive)).
				Select(webhook.FieldID, webhook.FieldHealth).Only(ctx)
			if ent.IsNotFound(err) {
				return nil
			}
			if err != nil {
				return err
			}
			h.AfterCommit(d.queue.Notify)
			if cur.Health == schematype.HealthHealthy {
				return deliveries.Release(ctx, tx.Client(), cur.ID, now)
			}
			probing, err := tx.Delivery.Query().Where(delivery.WebhookID(cur.ID), delivery.StatusEQ(schematype.DeliveryPending),
				delivery.Probe(true)).Exist(ctx)
			if err != nil || probing {
				return err
			}
			_, err = deliveries.ScheduleProbe(ctx, tx.Client(), cur.ID, now, 0)
			return err
		})
		if err != nil {
			return fmt.Errorf("mending the held deliveries of %s: %w", w.ID, err)
		}
	}
	return nil
}

// sweep runs Sweep every SweepInterval until ctx is done.
func (d *Dispatcher) sweep(ctx context.Context) {
	t := time.NewTicker(d.cfg.SweepInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := d.Sweep(ctx); err != nil && ctx.Err() == nil {
			d.cfg.Log.Warn("sweeping outbound webhooks' health", "err", err)
		}
	}
}
