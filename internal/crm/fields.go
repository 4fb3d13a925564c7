package crm

import (
	"context"
	"slices"
	"strings"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/internal/apperr"
	"github.com/wexio/webhooks/internal/jsonpath"
)

// AttributesKey is the SetFields key of the attributes object; a key
// "attributes.a.b" names one attribute, nested.
const AttributesKey = "attributes"

// SetFields applies a flow's UPDATE_CONTACT step to ct and returns the
// contact as it is now, emitting contact.updated when something changed.
// Keys, applied in sorted order:
//
//   - "name", "email", "phone", "chatId", "channelUserId": a string or a
//     number (its decimal text), validated like UpdateContact; null clears
//     the field; an empty string (a template whose value was missing)
//     leaves it unchanged;
//   - "attributes": an object merged like UpdateContact's attributes;
//   - "attributes.a.b": sets attribute a.b to the value, any JSON, creating
//     (or replacing non-object values with) objects on the way; null
//     deletes it.
//
// Anything else, or a value of the wrong type, is BAD_USER_INPUT.
func (s *Service) SetFields(ctx context.Context, c *ent.Client, ct *ent.Contact, set map[string]any) (*ent.Contact, error) {
	before, err := draftOf(ct)
	if err != nil {
		return nil, err
	}
	after := before.clone()
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if err := s.setKey(after, k, set[k]); err != nil {
			return nil, err
		}
	}
	return s.update(ctx, c, ct, before, after)
}

func (s *Service) setKey(d draft, key string, v any) error {
	if key == AttributesKey {
		patch, err := canonicalObject(v)
		if err != nil {
			return err
		}
		d.mergeAttrs(patch)
		return nil
	}
	if path, ok := strings.CutPrefix(key, AttributesKey+"."); ok {
		return setAttr(d.attrs, path, v)
	}
	if !isField(key) {
		return apperr.Invalid("unknown contact field %q", key)
	}
	if v == nil {
		return s.set(d, key, nil)
	}
	text, ok := scalarText(v)
	if !ok {
		return apperr.Invalid("contact field %s needs a text value", key)
	}
	if strings.TrimSpace(text) == "" {
		return nil
	}
	return s.set(d, key, &text)
}

func isField(key string) bool {
	for _, f := range contactColumns {
		if f.key == key {
			return true
		}
	}
	return false
}

// setAttr sets the attribute at dot path to v (nil deletes it).
func setAttr(attrs map[string]any, path string, v any) error {
	p, err := jsonpath.Parse(path)
	if err != nil {
		return apperr.Invalid("attribute path %q: %v", path, err)
	}
	val, err := canonical(v)
	if err != nil {
		return err
	}
	m := attrs
	for _, seg := range p[:len(p)-1] {
		next, ok := m[seg].(map[string]any)
		if !ok {
			if val == nil {
				return nil // nothing to delete
			}
			next = map[string]any{}
			m[seg] = next
		}
		m = next
	}
	if last := p[len(p)-1]; val == nil {
		delete(m, last)
	} else {
		m[last] = val
	}
	return nil
}
