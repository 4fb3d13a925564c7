package crm

import (
	"context"
	"fmt"
	"reflect"
	"strings"

	"github.com/wexio/webhooks/ent"
	entcontact "github.com/wexio/webhooks/ent/contact"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/internal/apperr"
)

// The contact fields a change can set, by their GraphQL (and SetFields)
// names, with their columns. All but name are unique per workspace.
const (
	FieldName          = "name"
	FieldEmail         = "email"
	FieldPhone         = "phone"
	FieldChatID        = "chatId"
	FieldChannelUserID = "channelUserId"
)

var contactColumns = []struct{ key, column string }{
	{FieldName, entcontact.FieldName},
	{FieldEmail, entcontact.FieldEmail},
	{FieldPhone, entcontact.FieldPhone},
	{FieldChatID, entcontact.FieldChatID},
	{FieldChannelUserID, entcontact.FieldChannelUserID},
}

// draft is a contact's fields while a change is validated: vals by field
// name (nil: no value), attrs in canonical JSON form (a private copy).
type draft struct {
	vals  map[string]*string
	attrs map[string]any
}

// newDraft returns the empty draft of a new contact.
func newDraft() draft {
	return draft{vals: map[string]*string{}, attrs: map[string]any{}}
}

// draftOf returns a draft holding ct's current values.
func draftOf(ct *ent.Contact) (draft, error) {
	d := newDraft()
	d.vals = map[string]*string{FieldName: ct.Name, FieldEmail: ct.Email, FieldPhone: ct.Phone,
		FieldChatID: ct.ChatID, FieldChannelUserID: ct.ChannelUserID}
	if ct.Attributes != nil {
		attrs, err := canonicalObject(ct.Attributes)
		if err != nil {
			return d, fmt.Errorf("reading attributes of %s: %w", ct.ID, err)
		}
		d.attrs = attrs
	}
	return d, nil
}

// clone returns a copy of d that can be changed without touching d.
func (d draft) clone() draft {
	c := draft{vals: make(map[string]*string, len(d.vals))}
	for k, v := range d.vals {
		c.vals[k] = v // the strings themselves are never changed in place
	}
	c.attrs, _ = deepCopy(d.attrs).(map[string]any)
	return c
}

// set validates and sets field to v; nil or blank clears it.
func (s *Service) set(d draft, field string, v *string) error {
	if v == nil || strings.TrimSpace(*v) == "" {
		d.vals[field] = nil
		return nil
	}
	var val string
	var err error
	switch field {
	case FieldEmail:
		val, err = normEmail(*v)
	case FieldPhone:
		val, err = normPhone(*v)
	case FieldName:
		val, err = normText(field, *v, maxNameLen)
	case FieldChatID, FieldChannelUserID:
		val, err = normText(field, *v, maxIdentLen)
	default:
		return apperr.Invalid("unknown contact field %q", field)
	}
	if err != nil {
		return err
	}
	d.vals[field] = &val
	return nil
}

// mergeAttrs sets each key of patch in d's attributes; a nil value deletes
// the key. Values replace whole (objects are not merged recursively).
func (d draft) mergeAttrs(patch map[string]any) {
	for k, v := range patch {
		if v == nil {
			delete(d.attrs, k)
		} else {
			d.attrs[k] = v
		}
	}
}

func (d draft) equal(o draft) bool {
	for _, f := range contactColumns {
		if !sameValue(d.vals[f.key], o.vals[f.key]) {
			return false
		}
	}
	return reflect.DeepEqual(d.attrs, o.attrs)
}

// write puts d into m, for a creation.
func (d draft) write(m *ent.ContactMutation) error {
	return d.writeChanges(m, nil)
}

// writeChanges puts into m the values of d that differ from before's (all
// of them when before is nil, a creation); on an update a value d lacks is
// cleared. Leaving unchanged columns out of the UPDATE spares the database
// the upkeep of their unique indexes.
func (d draft) writeChanges(m *ent.ContactMutation, before *draft) error {
	for _, f := range contactColumns {
		v := d.vals[f.key]
		if before != nil && sameValue(v, before.vals[f.key]) {
			continue
		}
		var err error
		switch {
		case v != nil:
			err = m.SetField(f.column, *v)
		case before != nil:
			err = m.ClearField(f.column)
		}
		if err != nil {
			return fmt.Errorf("setting contact %s: %w", f.key, err)
		}
	}
	if before != nil && reflect.DeepEqual(d.attrs, before.attrs) {
		return nil
	}
	if err := m.SetField(entcontact.FieldAttributes, d.attrs); err != nil {
		return fmt.Errorf("setting contact attributes: %w", err)
	}
	return nil
}

// sameValue reports whether two optional field values are equal.
func sameValue(a, b *string) bool {
	return (a == nil) == (b == nil) && (a == nil || *a == *b)
}

// checkUnique refuses, with CONFLICT, an identifier that after gains and
// another contact of the workspace already has.
func checkUnique(ctx context.Context, c *ent.Client, before, after draft, self pulid.ID) error {
	for _, f := range contactColumns[1:] {
		v, old := after.vals[f.key], before.vals[f.key]
		if v == nil || old != nil && *old == *v {
			continue
		}
		taken, err := c.Contact.Query().
			Where(entcontact.IDNEQ(self), fieldEQ(f.column, *v)).Exist(ctx)
		if err != nil {
			return fmt.Errorf("checking contact %s: %w", f.key, err)
		}
		if taken {
			return apperr.Conflict("another contact already has %s %q", f.key, *v)
		}
	}
	return nil
}
