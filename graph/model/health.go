package model

import (
	"time"

	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
)

// EndpointHealth is an outbound webhook's health; its held deliveries are
// counted only when asked for (the heldDeliveries resolver).
type EndpointHealth struct {
	WebhookID           pulid.ID
	State               schematype.EndpointHealth
	Since               *time.Time
	ConsecutiveFailures int
	LastError           *string
}
