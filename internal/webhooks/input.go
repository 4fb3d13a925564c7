package webhooks

import (
	"github.com/wexio/webhooks/ent/schema/schematype"
)

// The input types below are bound directly to the GraphQL inputs of the
// same shape (gqlgen.yml), so resolvers pass them through untouched.

// CreateInboundInput is CreateInboundWebhookInput.
type CreateInboundInput struct {
	Name              string                  `json:"name"`
	Description       *string                 `json:"description"`
	Auth              *InboundAuthInput       `json:"auth"`
	ContactResolution *ContactResolutionInput `json:"contactResolution"`
	Capture           *bool                   `json:"capture"`
}

// InboundAuthInput is InboundAuthInput.
type InboundAuthInput struct {
	Mode             schematype.InboundAuthMode `json:"mode"`
	Preset           *string                    `json:"preset"`
	Secret           *string                    `json:"secret"`
	VerifyToken      *string                    `json:"verifyToken"`
	Hmac             *HMACInput                 `json:"hmac"`
	ToleranceSeconds *int                       `json:"toleranceSeconds"`
}

// HMACInput is HmacParamsInput.
type HMACInput struct {
	Header          string  `json:"header"`
	Algorithm       string  `json:"algorithm"`
	Encoding        string  `json:"encoding"`
	Prefix          *string `json:"prefix"`
	TimestampHeader *string `json:"timestampHeader"`
	SignedPayload   string  `json:"signedPayload"`
}

// ContactResolutionInput is ContactResolutionInput.
type ContactResolutionInput struct {
	Match           schematype.ContactMatch `json:"match"`
	Path            string                  `json:"path"`
	CreateIfMissing *bool                   `json:"createIfMissing"`
}

// CreateOutboundInput is CreateOutboundWebhookInput.
type CreateOutboundInput struct {
	Name           string             `json:"name"`
	Description    *string            `json:"description"`
	URL            string             `json:"url"`
	Events         []string           `json:"events"`
	Auth           *OutboundAuthInput `json:"auth"`
	Headers        any                `json:"headers"`
	MaxRetries     *int               `json:"maxRetries"`
	TimeoutSeconds *int               `json:"timeoutSeconds"`
	Limits
}

// Limits are an outbound webhook's fair share: nil fields are unchanged
// (at creation, the defaults).
type Limits struct {
	MaxConcurrency     *int  `json:"maxConcurrency"`
	RateLimitPerSecond *int  `json:"rateLimitPerSecond"` // 0 removes the limit
	Ordered            *bool `json:"ordered"`
}

// OutboundAuthInput is OutboundAuthInput.
type OutboundAuthInput struct {
	Mode     schematype.OutboundAuthMode `json:"mode"`
	Token    *string                     `json:"token"`
	Username *string                     `json:"username"`
	Password *string                     `json:"password"`
	Secret   *string                     `json:"secret"`
}

// UpdateInput is UpdateWebhookInput: fields left nil are unchanged.
type UpdateInput struct {
	Name                   *string                 `json:"name"`
	Description            *string                 `json:"description"`
	Auth                   *InboundAuthInput       `json:"auth"`
	ContactResolution      *ContactResolutionInput `json:"contactResolution"`
	ClearContactResolution *bool                   `json:"clearContactResolution"`
	URL                    *string                 `json:"url"`
	Events                 []string                `json:"events"`
	OutboundAuth           *OutboundAuthInput      `json:"outboundAuth"`
	Headers                any                     `json:"headers"`
	MaxRetries             *int                    `json:"maxRetries"`
	TimeoutSeconds         *int                    `json:"timeoutSeconds"`
	Limits
}
