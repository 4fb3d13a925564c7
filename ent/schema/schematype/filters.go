package schematype

import (
	"time"

	"github.com/wexio/webhooks/ent/schema/pulid"
)

// LogFilter selects history rows (GraphQL WebhookLogFilter). Since is
// inclusive and Until exclusive.
type LogFilter struct {
	WebhookID *pulid.ID    `json:"webhookId,omitempty"`
	Direction *Direction   `json:"direction,omitempty"`
	Outcomes  []LogOutcome `json:"outcomes,omitempty"`
	Since     *time.Time   `json:"since,omitempty"`
	Until     *time.Time   `json:"until,omitempty"`
	EventType *string      `json:"eventType,omitempty"`
}

// EventFilter selects events (GraphQL EventFilter). Type accepts patterns
// like webhook subscriptions ("contact.*").
type EventFilter struct {
	Type  *string    `json:"type,omitempty"`
	Since *time.Time `json:"since,omitempty"`
	Until *time.Time `json:"until,omitempty"`
}
