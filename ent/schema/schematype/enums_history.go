package schematype

import "io"

// LogOutcome is the outcome of one inbound request or outbound attempt.
type LogOutcome string

// Log outcomes.
const (
	OutcomeAccepted  LogOutcome = "ACCEPTED"
	OutcomeRejected  LogOutcome = "REJECTED"
	OutcomeDuplicate LogOutcome = "DUPLICATE"
	OutcomeSucceeded LogOutcome = "SUCCEEDED"
	OutcomeFailed    LogOutcome = "FAILED"
)

// Values implements ent's EnumValues.
func (LogOutcome) Values() []string {
	return []string{"ACCEPTED", "REJECTED", "DUPLICATE", "SUCCEEDED", "FAILED"}
}

// MarshalGQL implements graphql.Marshaler.
func (e LogOutcome) MarshalGQL(w io.Writer) { marshalEnum(e, w) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (e *LogOutcome) UnmarshalGQL(v any) error { return unmarshalEnum(e, v) }

// DeliveryStatus is PENDING, SUCCEEDED or FAILED.
type DeliveryStatus string

// Delivery statuses.
const (
	DeliveryPending   DeliveryStatus = "PENDING"
	DeliverySucceeded DeliveryStatus = "SUCCEEDED"
	DeliveryFailed    DeliveryStatus = "FAILED"
)

// Values implements ent's EnumValues.
func (DeliveryStatus) Values() []string { return []string{"PENDING", "SUCCEEDED", "FAILED"} }

// MarshalGQL implements graphql.Marshaler.
func (e DeliveryStatus) MarshalGQL(w io.Writer) { marshalEnum(e, w) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (e *DeliveryStatus) UnmarshalGQL(v any) error { return unmarshalEnum(e, v) }

// ChatStatus is OPEN or CLOSED.
type ChatStatus string

// Chat statuses.
const (
	ChatOpen   ChatStatus = "OPEN"
	ChatClosed ChatStatus = "CLOSED"
)

// Values implements ent's EnumValues.
func (ChatStatus) Values() []string { return []string{"OPEN", "CLOSED"} }

// MarshalGQL implements graphql.Marshaler.
func (e ChatStatus) MarshalGQL(w io.Writer) { marshalEnum(e, w) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (e *ChatStatus) UnmarshalGQL(v any) error { return unmarshalEnum(e, v) }

// MessageStatus is SENT or DELIVERED.
type MessageStatus string

// Message statuses.
const (
	MessageSent      MessageStatus = "SENT"
	MessageDelivered MessageStatus = "DELIVERED"
)

// Values implements ent's EnumValues.
func (MessageStatus) Values() []string { return []string{"SENT", "DELIVERED"} }

// MarshalGQL implements graphql.Marshaler.
func (e MessageStatus) MarshalGQL(w io.Writer) { marshalEnum(e, w) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (e *MessageStatus) UnmarshalGQL(v any) error { return unmarshalEnum(e, v) }

// FlowTriggerType is what starts a flow.
type FlowTriggerType string

// Flow trigger types.
const TriggerWebhookReceived FlowTriggerType = "WEBHOOK_RECEIVED"

// Values implements ent's EnumValues.
func (FlowTriggerType) Values() []string { return []string{"WEBHOOK_RECEIVED"} }

// MarshalGQL implements graphql.Marshaler.
func (e FlowTriggerType) MarshalGQL(w io.Writer) { marshalEnum(e, w) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (e *FlowTriggerType) UnmarshalGQL(v any) error { return unmarshalEnum(e, v) }

// FlowStepType is the kind of one flow step (card).
type FlowStepType string

// Flow step types.
const (
	StepEmitEvent     FlowStepType = "EMIT_EVENT"
	StepUpdateContact FlowStepType = "UPDATE_CONTACT"
	StepSendMessage   FlowStepType = "SEND_MESSAGE"
)

// Values implements ent's EnumValues.
func (FlowStepType) Values() []string {
	return []string{"EMIT_EVENT", "UPDATE_CONTACT", "SEND_MESSAGE"}
}

// MarshalGQL implements graphql.Marshaler.
func (e FlowStepType) MarshalGQL(w io.Writer) { marshalEnum(e, w) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (e *FlowStepType) UnmarshalGQL(v any) error { return unmarshalEnum(e, v) }

// FlowRunStatus is PENDING, RUNNING, SUCCEEDED or FAILED.
type FlowRunStatus string

// Flow run statuses.
const (
	RunPending   FlowRunStatus = "PENDING"
	RunRunning   FlowRunStatus = "RUNNING"
	RunSucceeded FlowRunStatus = "SUCCEEDED"
	RunFailed    FlowRunStatus = "FAILED"
)

// Values implements ent's EnumValues.
func (FlowRunStatus) Values() []string { return []string{"PENDING", "RUNNING", "SUCCEEDED", "FAILED"} }

// MarshalGQL implements graphql.Marshaler.
func (e FlowRunStatus) MarshalGQL(w io.Writer) { marshalEnum(e, w) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (e *FlowRunStatus) UnmarshalGQL(v any) error { return unmarshalEnum(e, v) }
