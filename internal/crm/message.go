package crm

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/apperr"
	"github.com/wexio/webhooks/internal/events"
)

// MaxMessageLen bounds a message's text, in characters.
const MaxMessageLen = 4096

// SendMessage writes an OUTBOUND message, status SENT, in chat chatID and
// emits message.outbound.created. The chat must be OPEN; the text, kept as
// given, must not be blank nor longer than MaxMessageLen characters.
func (s *Service) SendMessage(ctx context.Context, c *ent.Client, chatID pulid.ID, text string) (*ent.Message, error) {
	if err := checkText(text); err != nil {
		return nil, err
	}
	ch, err := getChat(ctx, c, chatID)
	if err != nil {
		return nil, err
	}
	return s.sendMessage(ctx, c, ch, text)
}

// SendMessageIn is SendMessage in chat ch, already loaded (or just opened)
// by the caller with ctx and c (in the same transaction and workspace),
// which saves reading it again.
func (s *Service) SendMessageIn(ctx context.Context, c *ent.Client, ch *ent.Chat, text string) (*ent.Message, error) {
	if err := checkText(text); err != nil {
		return nil, err
	}
	return s.sendMessage(ctx, c, ch, text)
}

// checkText refuses a blank or too long message text.
func checkText(text string) error {
	if strings.TrimSpace(text) == "" {
		return apperr.Invalid("message text must not be empty")
	}
	if n := utf8.RuneCountInString(text); n > MaxMessageLen {
		return apperr.Invalid("message text must be at most %d characters, got %d", MaxMessageLen, n)
	}
	return nil
}

// sendMessage writes the message of SendMessage, text valid, in ch.
func (s *Service) sendMessage(ctx context.Context, c *ent.Client, ch *ent.Chat, text string) (*ent.Message, error) {
	if ch.Status != schematype.ChatOpen {
		return nil, apperr.Invalid("chat %s is closed", ch.ID)
	}
	m, err := c.Message.Create().SetChatID(ch.ID).SetDirection(schematype.DirectionOutbound).
		SetText(text).SetStatus(schematype.MessageSent).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("writing message: %w", err)
	}
	if err := s.emit(ctx, c, events.MessageOutboundCreated, MessageData(m, ch.ContactID)); err != nil {
		return nil, err
	}
	return m, nil
}

// MarkDelivered sets outbound message id DELIVERED and emits
// message.delivered; a message already DELIVERED is returned as it is,
// without an event. A closed chat's messages can still be delivered.
func (s *Service) MarkDelivered(ctx context.Context, c *ent.Client, id pulid.ID) (*ent.Message, error) {
	m, err := c.Message.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, apperr.NotFound("message " + string(id))
	}
	if err != nil {
		return nil, fmt.Errorf("loading message: %w", err)
	}
	if m.Status == schematype.MessageDelivered {
		return m, nil
	}
	if m.Direction != schematype.DirectionOutbound {
		return nil, apperr.Invalid("only outbound messages are delivered")
	}
	ch, err := getChat(ctx, c, m.ChatID)
	if err != nil {
		return nil, err
	}
	m, err = c.Message.UpdateOneID(m.ID).SetStatus(schematype.MessageDelivered).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("marking message delivered: %w", err)
	}
	if err := s.emit(ctx, c, events.MessageDelivered, MessageData(m, ch.ContactID)); err != nil {
		return nil, err
	}
	return m, nil
}
