// Package crm is the domain logic for contacts, chats and messages: creating
// and updating contacts (with normalised identifiers), resolving the contact
// an inbound request names, opening and closing chats, and sending and
// delivering messages. Every operation takes the ent client of the caller's
// transaction and writes its change and the event it causes (outbox.Emit)
// in that transaction, so both commit together or not at all. An operation
// that changes nothing emits nothing.
//
// Identifiers are stored normalised: e-mail addresses lower-case, phone
// numbers in E.164, chat and channel user ids as given. Each is unique within
// a workspace; a clash is a CONFLICT. Tenancy is ent's: another workspace's
// id behaves exactly like one that does not exist (NOT_FOUND).
package crm

import (
	"context"
	"fmt"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/internal/outbox"
)

// Service holds the contact, chat and message operations. Methods take the
// ent client to use: a GraphQL mutation or a flow step passes its
// transaction's client.
type Service struct {
	now func() time.Time
}

// NewService returns a Service reading the time from now.
func NewService(now func() time.Time) *Service {
	return &Service{now: now}
}

// emit writes event typ with data in c's transaction.
func (s *Service) emit(ctx context.Context, c *ent.Client, typ string, data any) error {
	if _, err := outbox.Emit(ctx, c, typ, data, s.now()); err != nil {
		return fmt.Errorf("emitting %s: %w", typ, err)
	}
	return nil
}
