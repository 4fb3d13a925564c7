package crm

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"entgo.io/ent/dialect/sql"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/chat"
	"github.com/wexio/webhooks/ent/predicate"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/apperr"
	"github.com/wexio/webhooks/internal/events"
)

// MaxChannelLen bounds a channel name, in characters.
const MaxChannelLen = 100

// OpenChat opens a chat with contact contactID on channel (trimmed, case
// kept) and emits chat.opened. A chat already OPEN on that contact and
// channel is returned as it is, without an event: there is at most one.
func (s *Service) OpenChat(ctx context.Context, c *ent.Client, contactID pulid.ID, channel string) (*ent.Chat, error) {
	channel, err := checkChannel(channel)
	if err != nil {
		return nil, err
	}
	ct, err := getContact(ctx, c, contactID)
	if err != nil {
		return nil, err
	}
	return s.openChat(ctx, c, ct, channel)
}

// OpenChatWith is OpenChat for contact ct, already loaded by the caller with
// ctx and c (in the same transaction and workspace), which saves reading it
// again.
func (s *Service) OpenChatWith(ctx context.Context, c *ent.Client, ct *ent.Contact, channel string) (*ent.Chat, error) {
	channel, err := checkChannel(channel)
	if err != nil {
		return nil, err
	}
	return s.openChat(ctx, c, ct, channel)
}

// checkChannel trims a channel name and refuses a blank or too long one.
func checkChannel(channel string) (string, error) {
	channel = strings.TrimSpace(channel)
	if channel == "" || utf8.RuneCountInString(channel) > MaxChannelLen {
		return "", apperr.Invalid("channel must be 1 to %d characters", MaxChannelLen)
	}
	return channel, nil
}

// openChat opens a chat with ct on channel, trimmed and valid.
func (s *Service) openChat(ctx context.Context, c *ent.Client, ct *ent.Contact, channel string) (*ent.Chat, error) {
	ch, err := c.Chat.Query().
		Where(chat.ContactID(ct.ID), chat.Channel(channel), statusOpenLiteral).
		First(ctx)
	switch {
	case err == nil:
		return ch, nil
	case !ent.IsNotFound(err):
		return nil, fmt.Errorf("finding open chat: %w", err)
	}
	ch, err = c.Chat.Create().SetContactID(ct.ID).SetChannel(channel).
		SetStatus(schematype.ChatOpen).SetOpenedAt(s.now().UTC()).Save(ctx)
	if ent.IsConstraintError(err) {
		return nil, apperr.Conflict("a chat on channel %q was opened at the same time", channel)
	}
	if err != nil {
		return nil, fmt.Errorf("opening chat: %w", err)
	}
	if err := s.emit(ctx, c, events.ChatOpened, ChatData(ch)); err != nil {
		return nil, err
	}
	return ch, nil
}

// CloseChat closes chat id and emits chat.closed; a closed chat is returned
// as it is, without an event.
func (s *Service) CloseChat(ctx context.Context, c *ent.Client, id pulid.ID) (*ent.Chat, error) {
	ch, err := getChat(ctx, c, id)
	if err != nil || ch.Status == schematype.ChatClosed {
		return ch, err
	}
	ch, err = c.Chat.UpdateOneID(ch.ID).SetStatus(schematype.ChatClosed).
		SetClosedAt(s.now().UTC()).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("closing chat: %w", err)
	}
	if err := s.emit(ctx, c, events.ChatClosed, ChatData(ch)); err != nil {
		return nil, err
	}
	return ch, nil
}

// getChat loads a chat the caller can see, or NOT_FOUND.
func getChat(ctx context.Context, c *ent.Client, id pulid.ID) (*ent.Chat, error) {
	ch, err := c.Chat.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, apperr.NotFound("chat " + string(id))
	}
	if err != nil {
		return nil, fmt.Errorf("loading chat: %w", err)
	}
	return ch, nil
}

// statusOpenLiteral is chat.StatusEQ(schematype.ChatOpen) with the value
// written as a literal rather than bound: only then can SQLite use the
// partial unique index on (contact_id, channel) WHERE status = 'OPEN', the
// exact lookup of the open chat (with a bound parameter it falls back to the
// (contact_id, status) index and checks channel row by row).
var statusOpenLiteral = predicate.Chat(func(s *sql.Selector) {
	s.Where(sql.P(func(b *sql.Builder) {
		b.Ident(s.C(chat.FieldStatus)).WriteString(" = '" + string(schematype.ChatOpen) + "'")
	}))
})
