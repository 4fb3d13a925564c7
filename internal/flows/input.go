package flows

import (
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
)

// The input types below have the shape of the GraphQL inputs of the same
// name, so gqlgen can bind them directly (gqlgen.yml) or resolvers convert.

// CreateInput is CreateFlowInput.
type CreateInput struct {
	Name    string       `json:"name"`
	Enabled *bool        `json:"enabled"` // nil: true
	Trigger TriggerInput `json:"trigger"`
	Steps   []StepInput  `json:"steps"`
}

// UpdateInput is UpdateFlowInput: fields left nil are unchanged.
type UpdateInput struct {
	Name    *string       `json:"name"`
	Enabled *bool         `json:"enabled"`
	Trigger *TriggerInput `json:"trigger"`
	Steps   []StepInput   `json:"steps"` // nil: unchanged; empty: refused
}

// TriggerInput is FlowTriggerInput.
type TriggerInput struct {
	Type      schematype.FlowTriggerType `json:"type"`
	WebhookID *pulid.ID                  `json:"webhookId"`
}

// StepInput is FlowStepInput.
type StepInput struct {
	Type   schematype.FlowStepType `json:"type"`
	Config map[string]any          `json:"config"`
}
