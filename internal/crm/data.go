package crm

import (
	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
)

// The types below are the `data` of the events this package emits (contract
// section 5): the scalar fields of the GraphQL type and the ids of the
// parents, absent values as null.

// ContactFields is the data of contact.created and contact.updated.
type ContactFields struct {
	ID            pulid.ID       `json:"id"`
	Name          *string        `json:"name"`
	Email         *string        `json:"email"`
	Phone         *string        `json:"phone"`
	ChatID        *string        `json:"chatId"`
	ChannelUserID *string        `json:"channelUserId"`
	Attributes    map[string]any `json:"attributes"`
}

// ContactData returns the event data of ct. Attributes are never null.
func ContactData(ct *ent.Contact) ContactFields {
	attrs := ct.Attributes
	if attrs == nil {
		attrs = map[string]any{}
	}
	return ContactFields{
		ID: ct.ID, Name: ct.Name, Email: ct.Email, Phone: ct.Phone,
		ChatID: ct.ChatID, ChannelUserID: ct.ChannelUserID, Attributes: attrs,
	}
}

// ChatFields is the data of chat.opened and chat.closed.
type ChatFields struct {
	ID        pulid.ID              `json:"id"`
	ContactID pulid.ID              `json:"contactId"`
	Channel   string                `json:"channel"`
	Status    schematype.ChatStatus `json:"status"`
}

// ChatData returns the event data of ch.
func ChatData(ch *ent.Chat) ChatFields {
	return ChatFields{ID: ch.ID, ContactID: ch.ContactID, Channel: ch.Channel, Status: ch.Status}
}

// MessageFields is the data of message.outbound.created and
// message.delivered.
type MessageFields struct {
	ID        pulid.ID                 `json:"id"`
	ChatID    pulid.ID                 `json:"chatId"`
	ContactID pulid.ID                 `json:"contactId"`
	Text      string                   `json:"text"`
	Status    schematype.MessageStatus `json:"status"`
}

// MessageData returns the event data of m, a message in a chat with the
// contact contactID (the message row holds only its chat).
func MessageData(m *ent.Message, contactID pulid.ID) MessageFields {
	return MessageFields{ID: m.ID, ChatID: m.ChatID, ContactID: contactID, Text: m.Text, Status: m.Status}
}
