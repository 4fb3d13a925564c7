package crm

import (
	"encoding/json"
	"testing"

	"github.com/wexio/webhooks/internal/apperr"
	"github.com/wexio/webhooks/internal/events"
)

func TestSetFields(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ct, err := e.svc.CreateContact(e.ctx, e.c, ContactInput{Name: ptr("Ann"), Email: ptr("ann@example.com"),
		Attributes: map[string]any{"keep": 1, "a": "scalar", "old": map[string]any{"x": 1, "y": 2}}})
	if err != nil {
		t.Fatal(err)
	}
	ct, err = e.svc.SetFields(e.ctx, e.c, ct, map[string]any{
		"name":               "",  // a missing template value: unchanged
		"email":              nil, // cleared
		"phone":              "+44 20 7946 0958",
		"chatId":             float64(-100123456789),
		"channelUserId":      json.Number("77"),
		"attributes.a.b":     "nested", // replaces the scalar a
		"attributes.c":       []any{1, "two"},
		"attributes.old.x":   nil, // deletes one nested key
		"attributes.no.such": nil, // deleting nothing is fine
	})
	if err != nil {
		t.Fatal(err)
	}
	if *ct.Name != "Ann" || ct.Email != nil || *ct.Phone != "+442079460958" || *ct.ChatID != "-100123456789" || *ct.ChannelUserID != "77" {
		t.Fatalf("contact = %+v", ct)
	}
	const attrs = `{"a":{"b":"nested"},"c":[1,"two"],"keep":1,"old":{"y":2}}`
	if got := jsonOf(t, ct.Attributes); got != attrs {
		t.Fatalf("attributes = %s, want %s", got, attrs)
	}
	e.wantEvents(t, events.ContactCreated, events.ContactUpdated)

	// Setting what is already there changes nothing and emits nothing.
	again, err := e.svc.SetFields(e.ctx, e.c, ct, map[string]any{"phone": "+442079460958",
		"chatId": "-100123456789", "attributes.keep": json.Number("1"), "attributes": map[string]any{"c": []any{1, "two"}}})
	if err != nil || again.ID != ct.ID {
		t.Fatal(err)
	}
	e.wantEvents(t, events.ContactCreated, events.ContactUpdated)

	for _, set := range []map[string]any{
		{"nickname": "x"},
		{"email": "not an address"},
		{"name": true},
		{"chatId": map[string]any{}},
		{"attributes": "x"},
		{"attributes..x": 1},
	} {
		_, err := e.svc.SetFields(e.ctx, e.c, ct, set)
		if apperr.KindOf(err) != apperr.KindInvalid {
			t.Errorf("SetFields(%v) = %v, want BAD_USER_INPUT", set, err)
		}
	}
	e.wantEvents(t, events.ContactCreated, events.ContactUpdated)
}
