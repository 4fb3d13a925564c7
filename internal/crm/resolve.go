package crm

import (
	"context"
	"fmt"
	"strings"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/apperr"
	"github.com/wexio/webhooks/internal/store"
)

// Resolve finds the workspace's contact whose match field equals value, the
// value an inbound payload holds at the resolution's path. With create, a
// missing contact is created with just that field (contact.created emitted)
// and created is true.
//
// Values compare as stored: EMAIL normalised (case-insensitive), PHONE in
// E.164 (both sides normalised, see normPhone), CHAT_ID and
// CHANNEL_USER_ID as exact (trimmed) text, JSON numbers as their decimal
// text (12345, not 1.2345e4). A value that is missing, empty, not a string
// or number, or not a valid address or number resolves to no contact and no
// error: the request is still accepted, it just links no contact. c is a
// transaction's client: creating takes a savepoint in it.
func (s *Service) Resolve(ctx context.Context, c *ent.Client, match schematype.ContactMatch, value any, create bool) (*ent.Contact, bool, error) {
	field, key, err := s.matchKey(match, value)
	if err != nil || key == "" {
		return nil, false, err
	}
	ct, err := c.Contact.Query().Where(fieldEQ(columnOf(field), key)).First(ctx)
	switch {
	case err == nil:
		return ct, false, nil
	case !ent.IsNotFound(err):
		return nil, false, fmt.Errorf("finding contact by %s: %w", field, err)
	case !create:
		return nil, false, nil
	}
	d := newDraft()
	d.vals[field] = &key
	// The lookup above just found no contact with key, so d is passed as the
	// known-unique "before" too: create does not run that query again (the
	// unique index still turns a clash into CONFLICT). A clash means another
	// server created the contact since (its insert held ours until it
	// committed): that one is found again. In a savepoint, because on
	// PostgreSQL the failed insert would abort the whole transaction.
	err = store.Savepoint(ctx, c, "contact", func() (err error) {
		ct, err = s.create(ctx, c, d, d)
		return err
	})
	if apperr.KindOf(err) == apperr.KindConflict {
		if ct, err = c.Contact.Query().Where(fieldEQ(columnOf(field), key)).First(ctx); err == nil {
			return ct, false, nil
		}
	}
	if err != nil {
		return nil, false, err
	}
	return ct, true, nil
}

// Usable reports whether value can name a contact by match: a scalar
// that the matched field accepts (an email that is an email, a phone
// number that parses).
func (s *Service) Usable(match schematype.ContactMatch, value any) bool {
	_, key, err := s.matchKey(match, value)
	return err == nil && key != ""
}

// matchKey returns the contact field match names and value as that field
// stores it; key is empty when value cannot name a contact.
func (s *Service) matchKey(match schematype.ContactMatch, value any) (field, key string, err error) {
	switch match {
	case schematype.MatchEmail:
		field = FieldEmail
	case schematype.MatchPhone:
		field = FieldPhone
	case schematype.MatchChatID:
		field = FieldChatID
	case schematype.MatchChannelUserID:
		field = FieldChannelUserID
	default:
		return "", "", fmt.Errorf("resolving contact: unknown match %q", match)
	}
	text, ok := scalarText(value)
	if !ok || strings.TrimSpace(text) == "" {
		return field, "", nil
	}
	d := newDraft()
	if s.set(d, field, &text) != nil {
		return field, "", nil // invalid or too long: names nobody
	}
	return field, *d.vals[field], nil
}

// columnOf is the column of a contact field.
func columnOf(field string) string {
	for _, f := range contactColumns {
		if f.key == field {
			return f.column
		}
	}
	return field
}
