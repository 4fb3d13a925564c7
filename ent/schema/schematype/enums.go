// Package schematype holds the Go types that ent fields, GraphQL and the
// domain packages share: the enums of the contract (upper-case values, one Go
// type per GraphQL enum) and the JSON-shaped values stored in columns.
package schematype

import (
	"fmt"
	"io"
	"slices"
	"strconv"
)

// enum is the common shape of the string enums below.
type enum interface {
	~string
	Values() []string
}

func unmarshalEnum[E enum](e *E, v any) error {
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("enum must be a string, got %T", v)
	}
	if !slices.Contains((*e).Values(), s) {
		return fmt.Errorf("%q is not a valid value", s)
	}
	*e = E(s)
	return nil
}

func marshalEnum[E enum](e E, w io.Writer) {
	_, _ = io.WriteString(w, strconv.Quote(string(e)))
}

// Direction is INBOUND or OUTBOUND.
type Direction string

// Directions.
const (
	DirectionInbound  Direction = "INBOUND"
	DirectionOutbound Direction = "OUTBOUND"
)

// Values implements ent's EnumValues.
func (Direction) Values() []string { return []string{"INBOUND", "OUTBOUND"} }

// MarshalGQL implements graphql.Marshaler.
func (e Direction) MarshalGQL(w io.Writer) { marshalEnum(e, w) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (e *Direction) UnmarshalGQL(v any) error { return unmarshalEnum(e, v) }

// WebhookStatus is ACTIVE, PAUSED or DISABLED.
type WebhookStatus string

// Webhook statuses.
const (
	WebhookActive   WebhookStatus = "ACTIVE"
	WebhookPaused   WebhookStatus = "PAUSED"
	WebhookDisabled WebhookStatus = "DISABLED"
)

// Values implements ent's EnumValues.
func (WebhookStatus) Values() []string { return []string{"ACTIVE", "PAUSED", "DISABLED"} }

// MarshalGQL implements graphql.Marshaler.
func (e WebhookStatus) MarshalGQL(w io.Writer) { marshalEnum(e, w) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (e *WebhookStatus) UnmarshalGQL(v any) error { return unmarshalEnum(e, v) }

// EndpointHealth is HEALTHY or FAILING: whether an outbound webhook's
// receiver answers. A FAILING one's deliveries are held but for one probe.
type EndpointHealth string

// Endpoint health states.
const (
	HealthHealthy EndpointHealth = "HEALTHY"
	HealthFailing EndpointHealth = "FAILING"
)

// Values implements ent's EnumValues.
func (EndpointHealth) Values() []string { return []string{"HEALTHY", "FAILING"} }

// MarshalGQL implements graphql.Marshaler.
func (e EndpointHealth) MarshalGQL(w io.Writer) { marshalEnum(e, w) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (e *EndpointHealth) UnmarshalGQL(v any) error { return unmarshalEnum(e, v) }

// InboundAuthMode names how an inbound request is authenticated.
type InboundAuthMode string

// Inbound authentication modes.
const (
	AuthSharedSecret InboundAuthMode = "SHARED_SECRET"
	AuthStripe       InboundAuthMode = "STRIPE"
	AuthSlack        InboundAuthMode = "SLACK"
	AuthSvix         InboundAuthMode = "SVIX"
	AuthPaddle       InboundAuthMode = "PADDLE"
	AuthRevolut      InboundAuthMode = "REVOLUT"
	AuthGenericHMAC  InboundAuthMode = "GENERIC_HMAC"
	AuthModePreset   InboundAuthMode = "PRESET"
)

// Values implements ent's EnumValues.
func (InboundAuthMode) Values() []string {
	return []string{"SHARED_SECRET", "STRIPE", "SLACK", "SVIX", "PADDLE", "REVOLUT", "GENERIC_HMAC", "PRESET"}
}

// MarshalGQL implements graphql.Marshaler.
func (e InboundAuthMode) MarshalGQL(w io.Writer) { marshalEnum(e, w) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (e *InboundAuthMode) UnmarshalGQL(v any) error { return unmarshalEnum(e, v) }

// OutboundAuthMode names how an outbound request authenticates itself.
type OutboundAuthMode string

// Outbound authentication modes.
const (
	OutboundNone   OutboundAuthMode = "NONE"
	OutboundBearer OutboundAuthMode = "BEARER"
	OutboundBasic  OutboundAuthMode = "BASIC"
	OutboundHMAC   OutboundAuthMode = "HMAC"
)

// Values implements ent's EnumValues.
func (OutboundAuthMode) Values() []string { return []string{"NONE", "BEARER", "BASIC", "HMAC"} }

// MarshalGQL implements graphql.Marshaler.
func (e OutboundAuthMode) MarshalGQL(w io.Writer) { marshalEnum(e, w) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (e *OutboundAuthMode) UnmarshalGQL(v any) error { return unmarshalEnum(e, v) }

// ContactMatch names the contact field an inbound value is matched against.
type ContactMatch string

// Contact match fields.
const (
	MatchChatID        ContactMatch = "CHAT_ID"
	MatchPhone         ContactMatch = "PHONE"
	MatchChannelUserID ContactMatch = "CHANNEL_USER_ID"
	MatchEmail         ContactMatch = "EMAIL"
)

// Values implements ent's EnumValues.
func (ContactMatch) Values() []string {
	return []string{"CHAT_ID", "PHONE", "CHANNEL_USER_ID", "EMAIL"}
}

// MarshalGQL implements graphql.Marshaler.
func (e ContactMatch) MarshalGQL(w io.Writer) { marshalEnum(e, w) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (e *ContactMatch) UnmarshalGQL(v any) error { return unmarshalEnum(e, v) }

// ContactResolutionOutcome is how an inbound request's contact resolution
// went.
type ContactResolutionOutcome string

// Contact resolution outcomes.
const (
	ResolutionMatched      ContactResolutionOutcome = "MATCHED"
	ResolutionCreated      ContactResolutionOutcome = "CREATED"
	ResolutionNoContact    ContactResolutionOutcome = "NO_CONTACT"
	ResolutionPathMissing  ContactResolutionOutcome = "PATH_MISSING"
	ResolutionInvalidValue ContactResolutionOutcome = "INVALID_VALUE"
)

// Values implements ent's EnumValues.
func (ContactResolutionOutcome) Values() []string {
	return []string{"MATCHED", "CREATED", "NO_CONTACT", "PATH_MISSING", "INVALID_VALUE"}
}

// MarshalGQL implements graphql.Marshaler.
func (e ContactResolutionOutcome) MarshalGQL(w io.Writer) { marshalEnum(e, w) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (e *ContactResolutionOutcome) UnmarshalGQL(v any) error { return unmarshalEnum(e, v) }
