package flows

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/flowrun"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/apperr"
)

// Limits of a saved flow.
const (
	MaxSteps   = 50  // steps per flow
	MaxNameLen = 200 // characters of a flow's name
)

// Service creates, updates and deletes flows. Methods take the ent client
// of the caller's transaction, with the caller's workspace in ctx.
type Service struct{}

// NewService returns a Service.
func NewService() *Service { return &Service{} }

// Create validates in and saves the flow.
func (s *Service) Create(ctx context.Context, c *ent.Client, in CreateInput) (*ent.Flow, error) {
	name, err := checkName(in.Name)
	if err != nil {
		return nil, err
	}
	hookID, err := checkTrigger(ctx, c, in.Trigger)
	if err != nil {
		return nil, err
	}
	steps, err := checkSteps(in.Steps)
	if err != nil {
		return nil, err
	}
	f, err := c.Flow.Create().SetName(name).SetEnabled(in.Enabled == nil || *in.Enabled).
		SetTriggerType(in.Trigger.Type).SetWebhookID(hookID).SetSteps(steps).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("creating flow: %w", err)
	}
	return f, nil
}

// Update applies the fields of in that are set, validated like Create's.
func (s *Service) Update(ctx context.Context, c *ent.Client, id pulid.ID, in UpdateInput) (*ent.Flow, error) {
	f, err := getFlow(ctx, c, id)
	if err != nil {
		return nil, err
	}
	// A flow whose webhook was deleted has no trigger left: it stays off
	// until it is given one.
	if in.Enabled != nil && *in.Enabled && f.WebhookID == nil && in.Trigger == nil {
		return nil, apperr.Invalid("flow %s has no webhook (it was deleted); give trigger.webhookId to enable it", id)
	}
	u := c.Flow.UpdateOneID(id)
	if in.Name != nil {
		name, err := checkName(*in.Name)
		if err != nil {
			return nil, err
		}
		u.SetName(name)
	}
	if in.Enabled != nil {
		u.SetEnabled(*in.Enabled)
	}
	if in.Trigger != nil {
		hookID, err := checkTrigger(ctx, c, *in.Trigger)
		if err != nil {
			return nil, err
		}
		u.SetTriggerType(in.Trigger.Type).SetWebhookID(hookID)
	}
	if in.Steps != nil {
		steps, err := checkSteps(in.Steps)
		if err != nil {
			return nil, err
		}
		u.SetSteps(steps)
	}
	f, err = u.Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("updating flow: %w", err)
	}
	return f, nil
}

// Delete deletes flow id and its runs (their history goes with the flow).
func (s *Service) Delete(ctx context.Context, c *ent.Client, id pulid.ID) (pulid.ID, error) {
	if _, err := getFlow(ctx, c, id); err != nil {
		return "", err
	}
	if _, err := c.FlowRun.Delete().Where(flowrun.FlowID(id)).Exec(ctx); err != nil {
		return "", fmt.Errorf("deleting runs of flow %s: %w", id, err)
	}
	if err := c.Flow.DeleteOneID(id).Exec(ctx); err != nil {
		return "", fmt.Errorf("deleting flow %s: %w", id, err)
	}
	return id, nil
}

// getFlow loads a flow the caller can see, or NOT_FOUND.
func getFlow(ctx context.Context, c *ent.Client, id pulid.ID) (*ent.Flow, error) {
	f, err := c.Flow.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, apperr.NotFound("flow " + string(id))
	}
	if err != nil {
		return nil, fmt.Errorf("loading flow: %w", err)
	}
	return f, nil
}

func checkName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > MaxNameLen {
		return "", apperr.Invalid("flow name must be 1 to %d characters", MaxNameLen)
	}
	return name, nil
}

// checkTrigger returns the trigger's webhook: an INBOUND webhook the caller
// can see. Another workspace's webhook is not found, like a missing one.
func checkTrigger(ctx context.Context, c *ent.Client, t TriggerInput) (pulid.ID, error) {
	if t.Type != schematype.TriggerWebhookReceived {
		return "", apperr.Invalid("unknown trigger type %q", t.Type)
	}
	if t.WebhookID == nil || *t.WebhookID == "" {
		return "", apperr.Invalid("trigger %s needs a webhookId", t.Type)
	}
	w, err := c.Webhook.Get(ctx, *t.WebhookID)
	if ent.IsNotFound(err) {
		return "", apperr.Invalid("trigger webhook %s not found", *t.WebhookID)
	}
	if err != nil {
		return "", fmt.Errorf("loading trigger webhook: %w", err)
	}
	if w.Direction != schematype.DirectionInbound {
		return "", apperr.Invalid("trigger webhook %s must be an INBOUND webhook", w.ID)
	}
	return w.ID, nil
}
