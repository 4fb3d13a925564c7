package crm

import (
	"context"
	"fmt"

	"entgo.io/ent/dialect/sql"

	"github.com/wexio/webhooks/ent"
	entcontact "github.com/wexio/webhooks/ent/contact"
	"github.com/wexio/webhooks/ent/predicate"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/internal/apperr"
	"github.com/wexio/webhooks/internal/events"
)

// ContactInput is CreateContactInput and UpdateContactInput (same fields as
// the generated model types, so a resolver converts with crm.ContactInput(in)).
// A nil field is left alone; an empty one clears the value (on creation:
// no value). Attributes, when given, must be a JSON object and are merged:
// each key is set (objects replace whole), a null value removes the key.
type ContactInput struct {
	Name          *string `json:"name,omitempty"`
	Email         *string `json:"email,omitempty"`
	Phone         *string `json:"phone,omitempty"`
	ChatID        *string `json:"chatId,omitempty"`
	ChannelUserID *string `json:"channelUserId,omitempty"`
	Attributes    any     `json:"attributes,omitempty"`
}

// CreateContact creates a contact and emits contact.created.
func (s *Service) CreateContact(ctx context.Context, c *ent.Client, in ContactInput) (*ent.Contact, error) {
	before, after := newDraft(), newDraft()
	if err := s.applyInput(after, in); err != nil {
		return nil, err
	}
	return s.create(ctx, c, before, after)
}

// UpdateContact changes contact id and emits contact.updated, unless the
// input leaves the contact as it was.
func (s *Service) UpdateContact(ctx context.Context, c *ent.Client, id pulid.ID, in ContactInput) (*ent.Contact, error) {
	ct, err := getContact(ctx, c, id)
	if err != nil {
		return nil, err
	}
	before, err := draftOf(ct)
	if err != nil {
		return nil, err
	}
	after := before.clone()
	if err := s.applyInput(after, in); err != nil {
		return nil, err
	}
	return s.update(ctx, c, ct, before, after)
}

func (s *Service) applyInput(d draft, in ContactInput) error {
	given := []*string{in.Name, in.Email, in.Phone, in.ChatID, in.ChannelUserID}
	for i, f := range contactColumns {
		if given[i] == nil {
			continue
		}
		if err := s.set(d, f.key, given[i]); err != nil {
			return err
		}
	}
	if in.Attributes == nil {
		return nil
	}
	patch, err := canonicalObject(in.Attributes)
	if err != nil {
		return err
	}
	d.mergeAttrs(patch)
	return nil
}

// create writes the new contact after and emits contact.created.
func (s *Service) create(ctx context.Context, c *ent.Client, before, after draft) (*ent.Contact, error) {
	if err := checkUnique(ctx, c, before, after, ""); err != nil {
		return nil, err
	}
	q := c.Contact.Create()
	if err := after.write(q.Mutation()); err != nil {
		return nil, err
	}
	ct, err := q.Save(ctx)
	if err != nil {
		return nil, saveError("creating contact", err)
	}
	if err := s.emit(ctx, c, events.ContactCreated, ContactData(ct)); err != nil {
		return nil, err
	}
	return ct, nil
}

// update writes after over ct and emits contact.updated, when after differs
// from before (ct's values).
func (s *Service) update(ctx context.Context, c *ent.Client, ct *ent.Contact, before, after draft) (*ent.Contact, error) {
	if before.equal(after) {
		return ct, nil
	}
	if err := checkUnique(ctx, c, before, after, ct.ID); err != nil {
		return nil, err
	}
	// A filtered bulk update of the one row: unlike UpdateOne it does not
	// read the row back, which updated() does from what was written.
	u := c.Contact.Update().Where(entcontact.ID(ct.ID))
	if err := after.writeChanges(u.Mutation(), &before); err != nil {
		return nil, err
	}
	// ct was loaded in this transaction, so the row is there to update.
	if err := u.Exec(ctx); err != nil {
		return nil, saveError("updating contact", err)
	}
	ct = updated(ct, after, u.Mutation())
	if err := s.emit(ctx, c, events.ContactUpdated, ContactData(ct)); err != nil {
		return nil, err
	}
	return ct, nil
}

// updated returns ct as it is after m wrote after over it: the values of
// after (attributes in canonical JSON form, as reading the row back would
// decode them) and m's updated_at. Loaded edges are dropped.
func updated(ct *ent.Contact, after draft, m *ent.ContactMutation) *ent.Contact {
	cp := *ct
	cp.Name, cp.Email, cp.Phone = after.vals[FieldName], after.vals[FieldEmail], after.vals[FieldPhone]
	cp.ChatID, cp.ChannelUserID = after.vals[FieldChatID], after.vals[FieldChannelUserID]
	cp.Attributes = after.attrs
	if at, ok := m.UpdatedAt(); ok {
		cp.UpdatedAt = at
	}
	cp.Edges = ent.ContactEdges{}
	return &cp
}

// getContact loads a contact the caller can see, or NOT_FOUND.
func getContact(ctx context.Context, c *ent.Client, id pulid.ID) (*ent.Contact, error) {
	ct, err := c.Contact.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, apperr.NotFound("contact " + string(id))
	}
	if err != nil {
		return nil, fmt.Errorf("loading contact: %w", err)
	}
	return ct, nil
}

// saveError turns a unique violation the pre-check could not see (a
// concurrent writer) into CONFLICT.
func saveError(doing string, err error) error {
	if ent.IsConstraintError(err) {
		return apperr.Conflict("another contact already has one of these identifiers")
	}
	return fmt.Errorf("%s: %w", doing, err)
}

func fieldEQ(column, v string) predicate.Contact {
	return predicate.Contact(sql.FieldEQ(column, v))
}
