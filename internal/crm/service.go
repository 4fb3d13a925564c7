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
