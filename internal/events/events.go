package events

import "strings"

// The fixed event types. Flows add their own as FlowPrefix + name.
const (
	ContactCreated         = "contact.created"
	ContactUpdated         = "contact.updated"
	ChatOpened             = "chat.opened"
	ChatClosed             = "chat.closed"
	MessageOutboundCreated = "message.outbound.created"
	MessageDelivered       = "message.delivered"
	WebhookTest            = "webhook.test"
	// An outbound webhook's health changed (data: id, name, lastError).
	WebhookFailing   = "webhook.failing"
	WebhookRecovered = "webhook.recovered"
	WebhookDisabled  = "webhook.disabled"

	// FlowPrefix starts the type of every event a flow's EMIT_EVENT step emits.
	FlowPrefix = "flow."
)

// maxNameLen bounds a flow event name so that types stay readable in logs
// and headers; no real name comes near it.
const maxNameLen = 128

// Catalogue returns the fixed event types (flow.* excluded), in the order
// documentation lists them. The slice is the caller's to keep.
func Catalogue() []string {
	return []string{
		ContactCreated, ContactUpdated, ChatOpened, ChatClosed,
		MessageOutboundCreated, MessageDelivered, WebhookTest,
		WebhookFailing, WebhookRecovered, WebhookDisabled,
	}
}

// inCatalogue reports whether t is one of the fixed types.
func inCatalogue(t string) bool {
	switch t {
	case ContactCreated, ContactUpdated, ChatOpened, ChatClosed,
		MessageOutboundCreated, MessageDelivered, WebhookTest,
		WebhookFailing, WebhookRecovered, WebhookDisabled:
		return true
	}
	return false
}

// FlowType returns the event type a flow emits for name.
func FlowType(name string) string { return FlowPrefix + name }

// ValidName reports whether name may follow FlowPrefix: dot-separated words
// of ASCII letters, digits and underscores, such as "order.paid".
func ValidName(name string) bool {
	if name == "" || len(name) > maxNameLen {
		return false
	}
	return validNamePrefix(name) && !strings.HasSuffix(name, ".")
}

// validNamePrefix reports whether s can begin a valid name: a pattern's
// prefix may end in a dot ("order.*") but is otherwise held to the same rules.
func validNamePrefix(s string) bool {
	if strings.HasPrefix(s, ".") || strings.Contains(s, "..") {
		return false
	}
	for i := range len(s) {
		if !nameByte(s[i]) {
			return false
		}
	}
	return true
}

func nameByte(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '_' || b == '.'
}

// ValidType reports whether t is an event type the platform can emit: one
// of the catalogue or FlowPrefix followed by a valid name.
func ValidType(t string) bool {
	if inCatalogue(t) {
		return true
	}
	name, ok := strings.CutPrefix(t, FlowPrefix)
	return ok && ValidName(name)
}
