package webhooks

import (
	"context"
	"fmt"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/delivery"
	"github.com/wexio/webhooks/ent/flow"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/ent/webhook"
	"github.com/wexio/webhooks/internal/apperr"
	"github.com/wexio/webhooks/internal/deliveries"
	"github.com/wexio/webhooks/internal/signing"
)

// maxGraceSeconds bounds a rotation's grace period (30 days).
const maxGraceSeconds = 30 * 24 * 3600

// Update changes the fields of in that are set.
func (s *Service) Update(ctx context.Context, c *ent.Client, id pulid.ID, in UpdateInput) (*ent.Webhook, error) {
	w, err := get(ctx, c, id)
	if err != nil {
		return nil, err
	}
	u := c.Webhook.UpdateOne(w)
	m := u.Mutation()
	if in.Name != nil {
		name, err := validateName(*in.Name)
		if err != nil {
			return nil, err
		}
		m.SetName(name)
	}
	if in.Description != nil {
		m.SetDescription(*in.Description)
	}
	if w.Direction == schematype.DirectionInbound {
		err = s.updateInbound(m, w, in)
	} else {
		err = s.updateOutbound(m, w, in)
	}
	if err != nil {
		return nil, err
	}
	w, err = u.Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("updating webhook: %w", err)
	}
	return w, nil
}

func (s *Service) updateInbound(m *ent.WebhookMutation, w *ent.Webhook, in UpdateInput) error {
	if in.URL != nil || in.Events != nil || in.OutboundAuth != nil || in.Headers != nil || in.MaxRetries != nil || in.TimeoutSeconds != nil ||
		in.MaxConcurrency != nil || in.RateLimitPerSecond != nil || in.Ordered != nil {
		return apperr.Invalid("url, events, outboundAuth, headers, maxRetries, timeoutSeconds, maxConcurrency, rateLimitPerSecond and ordered apply to outbound webhooks only")
	}
	if in.Auth != nil {
		auth := *in.Auth
		if (auth.Secret == nil || *auth.Secret == "") && auth.Mode == w.AuthMode {
			// Same mode, no new secret: keep the current one.
			cur, err := s.Secrets(w)
			if err != nil {
				return err
			}
			if len(cur) > 0 {
				auth.Secret = &cur[0]
			}
		}
		a, err := parseInboundAuth(&auth)
		if err != nil {
			return err
		}
		if a.generated {
			// updateWebhook returns no secret: a generated one could never
			// be read, and every request would be refused.
			return apperr.Invalid("auth.secret is required to switch a webhook to %s "+
				"(a generated one could not be shown; rotateWebhookSecret generates one and shows it once)", auth.Mode)
		}
		s.applyAuth(m, w.ID, a)
		m.ClearPreviousSecret()
		m.ClearPreviousSecretExpiresAt()
	}
	if in.ClearContactResolution != nil && *in.ClearContactResolution {
		m.ClearContactMatch()
		m.SetContactPath("")
		m.SetContactCreate(false)
	}
	if in.ContactResolution != nil {
		return applyContactResolution(m, in.ContactResolution)
	}
	return nil
}

func (s *Service) updateOutbound(m *ent.WebhookMutation, w *ent.Webhook, in UpdateInput) error {
	if in.Auth != nil || in.ContactResolution != nil || in.ClearContactResolution != nil {
		return apperr.Invalid("auth and contactResolution apply to inbound webhooks only")
	}
	if in.Events != nil && len(in.Events) == 0 {
		return apperr.Invalid("events must name at least one event type or pattern")
	}
	if err := s.applyDelivery(m, w.ID, w, in.URL, in.Events, in.Headers, in.MaxRetries, in.TimeoutSeconds); err != nil {
		return err
	}
	if err := s.applyLimits(m, in.Limits); err != nil {
		return err
	}
	if a := in.OutboundAuth; a != nil && a.Mode == w.OutboundAuth &&
		a.Token == nil && a.Username == nil && a.Password == nil && a.Secret == nil {
		// The same mode and no credentials: they stay. (A client sending
		// its settings back must not replace an HMAC secret with one nobody
		// can read, nor be refused for not repeating a token.)
		return nil
	}
	if in.OutboundAuth != nil {
		a, err := parseOutboundAuth(in.OutboundAuth)
		if err != nil {
			return err
		}
		switch {
		case a.generated:
			// updateWebhook returns no secret, so a generated one could
			// never be read.
			return apperr.Invalid("outboundAuth.secret is required to switch a webhook to HMAC " +
				"(a generated one could not be shown; rotateWebhookSecret generates and shows one once the webhook signs)")
		}
		s.applyOutboundAuth(m, w.ID, a)
	}
	return nil
}

// SetStatus pauses, resumes or disables a webhook. Resuming an outbound
// webhook makes the deliveries it held due at once. Setting the status it
// already has changes nothing.
func (s *Service) SetStatus(ctx context.Context, c *ent.Client, id pulid.ID, status schematype.WebhookStatus) (*ent.Webhook, error) {
	w, err := get(ctx, c, id)
	if err != nil || w.Status == status {
		return w, err
	}
	u := c.Webhook.UpdateOne(w).SetStatus(status)
	next := *w
	next.Status = status
	if w.Status == schematype.WebhookDisabled && status == schematype.WebhookActive && w.Health == schematype.HealthFailing {
		// Enabled again by hand: someone fixed the receiver, or wants to
		// know. It starts HEALTHY with what it held released; twenty
		// failures make it FAILING again.
		u.SetHealth(schematype.HealthHealthy).SetHealthSince(s.now().UTC()).SetConsecutiveFailures(0).SetProbeIntervalSeconds(0)
		next.Health = schematype.HealthHealthy
	}
	// Its deliveries first, the webhook's row after, the order a claim
	// locks them in (outbound.Deliveries): the other order could deadlock
	// with a claim on PostgreSQL.
	if w.Direction == schematype.DirectionOutbound {
		if err := s.holdOrRelease(ctx, c, &next); err != nil {
			return nil, err
		}
	}
	w, err = u.Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("setting webhook status: %w", err)
	}
	return w, nil
}

// Delete deletes a webhook with its history and pending deliveries; flows
// bound to it stay, unbound and disabled (nothing can trigger them).
func (s *Service) Delete(ctx context.Context, c *ent.Client, id pulid.ID) error {
	w, err := get(ctx, c, id)
	if err != nil {
		return err
	}
	if err := c.Flow.Update().Where(flow.WebhookID(id)).SetEnabled(false).Exec(ctx); err != nil {
		return fmt.Errorf("disabling the webhook's flows: %w", err)
	}
	// Its deliveries first, and then the webhook, whose delete would take
	// them along: a claim on PostgreSQL locks due deliveries and then their
	// webhooks, and deleting in the opposite order deadlocked with one.
	if _, err := c.Delivery.Delete().Where(delivery.WebhookID(id)).Exec(ctx); err != nil {
		return fmt.Errorf("deleting the webhook's deliveries: %w", err)
	}
	if err := c.Webhook.DeleteOne(w).Exec(ctx); err != nil {
		return fmt.Errorf("deleting webhook: %w", err)
	}
	return nil
}

// Rotate replaces a webhook's secret, keeping the previous one valid for
// grace. Without a new secret one is generated where we can generate it
// (shared secrets, outbound HMAC, bearer tokens, basic passwords) and
// returned; provider modes need the provider's new secret.
func (s *Service) Rotate(ctx context.Context, c *ent.Client, id pulid.ID, grace int, secret *string) (*ent.Webhook, *string, error) {
	if grace < 0 || grace > maxGraceSeconds {
		return nil, nil, apperr.Invalid("graceSeconds must be between 0 and %d", maxGraceSeconds)
	}
	w, err := get(ctx, c, id)
	if err != nil {
		return nil, nil, err
	}
	next, generated, err := s.nextSecret(w, secret)
	if err != nil {
		return nil, nil, err
	}
	u := c.Webhook.UpdateOne(w).SetSecret(s.box.Seal(next, string(w.ID))).SetSecretHint(hint(next))
	if grace > 0 && len(w.Secret) > 0 {
		u.SetPreviousSecret(w.Secret).SetPreviousSecretExpiresAt(s.now().Add(time.Duration(grace) * time.Second))
	} else {
		u.ClearPreviousSecret().ClearPreviousSecretExpiresAt()
	}
	w, err = u.Save(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("rotating secret: %w", err)
	}
	if generated {
		return w, &next, nil
	}
	return w, nil, nil
}

// nextSecret validates a given secret or generates one.
func (s *Service) nextSecret(w *ent.Webhook, given *string) (string, bool, error) {
	if given != nil && *given != "" {
		if w.Direction == schematype.DirectionOutbound && w.OutboundAuth == schematype.OutboundHMAC {
			if err := signing.CheckSecret(*given); err != nil {
				return "", false, apperr.Invalid("secret: %v", err)
			}
		}
		if w.Direction == schematype.DirectionInbound {
			a := inboundAuth{mode: w.AuthMode, preset: w.AuthPreset, secret: *given, hmac: w.AuthHmac, tolerance: w.ToleranceSeconds}
			if err := validateInbound(a); err != nil {
				return "", false, err
			}
		}
		return *given, false, nil
	}
	switch {
	case w.Direction == schematype.DirectionInbound && w.AuthMode == schematype.AuthSharedSecret:
		return randomToken(32), true, nil
	case w.Direction == schematype.DirectionInbound:
		return "", false, apperr.Invalid("mode %s needs the provider's new secret", w.AuthMode)
	case w.OutboundAuth == schematype.OutboundHMAC:
		sec, err := parseOutboundAuth(&OutboundAuthInput{Mode: schematype.OutboundHMAC})
		return sec.secret, true, err
	case w.OutboundAuth == schematype.OutboundBearer || w.OutboundAuth == schematype.OutboundBasic:
		return randomToken(32), true, nil
	default:
		return "", false, apperr.Invalid("auth mode NONE has no secret to rotate")
	}
}

// StartCapture makes the next accepted request of an inbound webhook its
// next schema version.
func (s *Service) StartCapture(ctx context.Context, c *ent.Client, id pulid.ID) (*ent.Webhook, error) {
	w, err := get(ctx, c, id)
	if err != nil {
		return nil, err
	}
	if err := inDirection(w, schematype.DirectionInbound, "schema capture"); err != nil {
		return nil, err
	}
	w, err = c.Webhook.UpdateOne(w).SetCapturing(true).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("starting schema capture: %w", err)
	}
	return w, nil
}

// StopCapture ends inbound webhook id's schema capture, if one is in
// progress, without a version.
func (s *Service) StopCapture(ctx context.Context, c *ent.Client, id pulid.ID) (*ent.Webhook, error) {
	w, err := get(ctx, c, id)
	if err != nil {
		return nil, err
	}
	if err := inDirection(w, schematype.DirectionInbound, "schema capture"); err != nil {
		return nil, err
	}
	if !w.Capturing {
		return w, nil
	}
	w, err = c.Webhook.UpdateOne(w).SetCapturing(false).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("stopping schema capture: %w", err)
	}
	return w, nil
}

// holdOrRelease applies an outbound webhook's status to its pending
// deliveries: pausing or disabling holds them, activating releases them.
func (s *Service) holdOrRelease(ctx context.Context, c *ent.Client, w *ent.Webhook) error {
	switch {
	case w.Status != schematype.WebhookActive:
		return deliveries.Hold(ctx, c, w.ID)
	case w.Health == schematype.HealthFailing:
		// Resumed while FAILING: its probe goes now, the rest stay held
		// until the probe succeeds.
		_, err := deliveries.ScheduleProbe(ctx, c, w.ID, s.now(), 0)
		return err
	default:
		return deliveries.Release(ctx, c, w.ID, s.now())
	}
}

// OutboundCount is how many outbound webhooks have one status and health.
type OutboundCount struct {
	Status schematype.WebhookStatus  `json:"status"`
	Health schematype.EndpointHealth `json:"health"`
	Count  int                       `json:"count"`
}

// CountOutbound counts the outbound webhooks of every workspace by status
// and health: what an operator alerts on when receivers go down.
func CountOutbound(ctx context.Context, c *ent.Client) ([]OutboundCount, error) {
	var out []OutboundCount
	err := c.Webhook.Query().Where(webhook.DirectionEQ(schematype.DirectionOutbound)).
		GroupBy(webhook.FieldStatus, webhook.FieldHealth).Aggregate(ent.Count()).Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("counting outbound webhooks: %w", err)
	}
	return out, nil
}
