package crm

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/wexio/webhooks/internal/apperr"
	"github.com/wexio/webhooks/internal/events"
)

func TestCreateContactNormalisesAndEmits(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ct, err := e.svc.CreateContact(e.ctx, e.c, ContactInput{
		Name: ptr(" Ann Lee "), Email: ptr("Ann.Lee@Example.COM"), Phone: ptr("+44 20 7946 0958"),
		ChatID: ptr(""), Attributes: map[string]any{"plan": "pro", "seats": json.Number("3"), "gone": nil},
	})
	if err != nil {
		t.Fatal(err)
	}
	if *ct.Name != "Ann Lee" || *ct.Email != "ann.lee@example.com" || *ct.Phone != "+442079460958" || ct.ChatID != nil {
		t.Fatalf("contact = %+v", ct)
	}
	want := fmt.Sprintf(`{"id":%q,"name":"Ann Lee","email":"ann.lee@example.com","phone":"+442079460958",`+
		`"chatId":null,"channelUserId":null,"attributes":{"plan":"pro","seats":3}}`, ct.ID)
	if got := e.lastData(t, events.ContactCreated); got != want {
		t.Fatalf("data = %s\nwant   %s", got, want)
	}
	e.wantEvents(t, events.ContactCreated)

	bare, err := e.svc.CreateContact(e.ctx, e.c, ContactInput{})
	if err != nil {
		t.Fatal(err)
	}
	want = fmt.Sprintf(`{"id":%q,"name":null,"email":null,"phone":null,"chatId":null,"channelUserId":null,"attributes":{}}`, bare.ID)
	if got := e.lastData(t, events.ContactCreated); got != want {
		t.Fatalf("data = %s\nwant   %s", got, want)
	}
}

func TestCreateContactRefuses(t *testing.T) {
	t.Parallel()
	e := setup(t)
	if _, err := e.svc.CreateContact(e.ctx, e.c, ContactInput{
		Email: ptr("ann@example.com"), Phone: ptr("+442079460958"), ChatID: ptr("42"), ChannelUserID: ptr("u1"),
	}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		in   ContactInput
		kind apperr.Kind
	}{
		{"bad email", ContactInput{Email: ptr("ann@")}, apperr.KindInvalid},
		{"bad phone", ContactInput{Phone: ptr("hello")}, apperr.KindInvalid},
		{"local phone without region", ContactInput{Phone: ptr("020 7946 0958")}, apperr.KindInvalid},
		{"attributes not an object", ContactInput{Attributes: []any{1}}, apperr.KindInvalid},
		{"long name", ContactInput{Name: ptr(strings.Repeat("a", maxNameLen+1))}, apperr.KindInvalid},
		{"long chat id", ContactInput{ChatID: ptr(strings.Repeat("1", maxIdentLen+1))}, apperr.KindInvalid},
		{"email taken, other case", ContactInput{Email: ptr("ANN@example.com")}, apperr.KindConflict},
		{"phone taken, other format", ContactInput{Phone: ptr("0044 20 7946 0958")}, apperr.KindConflict},
		{"chat id taken", ContactInput{ChatID: ptr("42")}, apperr.KindConflict},
		{"channel user id taken", ContactInput{ChannelUserID: ptr("u1")}, apperr.KindConflict},
	}
	for _, tt := range tests {
		_, err := e.svc.CreateContact(e.ctx, e.c, tt.in)
		if apperr.KindOf(err) != tt.kind {
			t.Errorf("%s: error = %v, want kind %d", tt.name, err, tt.kind)
		}
	}
	e.wantEvents(t, events.ContactCreated)
	// Another workspace may hold the same identifiers.
	if _, err := e.svc.CreateContact(e.other, e.c, ContactInput{Email: ptr("ann@example.com")}); err != nil {
		t.Fatalf("other workspace: %v", err)
	}
}

func TestUpdateContactEmitsOnlyOnChange(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ct, err := e.svc.CreateContact(e.ctx, e.c, ContactInput{Name: ptr("Ann"), Email: ptr("ann@example.com"),
		Attributes: map[string]any{"plan": "pro", "n": 1, "tags": []any{"a"}}})
	if err != nil {
		t.Fatal(err)
	}
	same := []ContactInput{
		{},
		{Name: ptr("Ann"), Email: ptr(" ANN@Example.com ")},
		{Attributes: map[string]any{"n": json.Number("1"), "tags": []any{"a"}, "missing": nil}},
	}
	for _, in := range same {
		got, err := e.svc.UpdateContact(e.ctx, e.c, ct.ID, in)
		if err != nil || got.ID != ct.ID {
			t.Fatalf("update %+v: %v", in, err)
		}
	}
	e.wantEvents(t, events.ContactCreated)

	ct, err = e.svc.UpdateContact(e.ctx, e.c, ct.ID, ContactInput{Email: ptr(""), Phone: ptr("+1 415 555 2671"),
		Attributes: map[string]any{"plan": nil, "n": 2, "extra": map[string]any{"k": true}}})
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf(`{"id":%q,"name":"Ann","email":null,"phone":"+14155552671","chatId":null,`+
		`"channelUserId":null,"attributes":{"extra":{"k":true},"n":2,"tags":["a"]}}`, ct.ID)
	if got := e.lastData(t, events.ContactUpdated); got != want {
		t.Fatalf("data = %s\nwant   %s", got, want)
	}
	stored, _ := e.c.Contact.Get(e.ctx, ct.ID)
	if stored.Email != nil || jsonOf(t, stored.Attributes) != `{"extra":{"k":true},"n":2,"tags":["a"]}` {
		t.Fatalf("stored = %+v", stored)
	}
	e.wantEvents(t, events.ContactCreated, events.ContactUpdated)
}

func TestUpdateContactRefuses(t *testing.T) {
	t.Parallel()
	e := setup(t)
	a, _ := e.svc.CreateContact(e.ctx, e.c, ContactInput{Email: ptr("a@example.com")})
	b, _ := e.svc.CreateContact(e.ctx, e.c, ContactInput{Email: ptr("b@example.com")})
	_, err := e.svc.UpdateContact(e.ctx, e.c, b.ID, ContactInput{Email: ptr("A@example.com")})
	wantKind(t, err, apperr.KindConflict)
	_, err = e.svc.UpdateContact(e.ctx, e.c, b.ID, ContactInput{Phone: ptr("12")})
	wantKind(t, err, apperr.KindInvalid)
	_, err = e.svc.UpdateContact(e.ctx, e.c, b.ID, ContactInput{Attributes: "x"})
	wantKind(t, err, apperr.KindInvalid)
	_, err = e.svc.UpdateContact(e.other, e.c, a.ID, ContactInput{Name: ptr("x")})
	wantKind(t, err, apperr.KindNotFound)
	_, err = e.svc.UpdateContact(e.ctx, e.c, "ct_nope", ContactInput{Name: ptr("x")})
	wantKind(t, err, apperr.KindNotFound)
	e.wantEvents(t, events.ContactCreated, events.ContactCreated)
}

// TestUpdatedContactIsTheRow checks that the contact an update returns (built
// from what was written, without reading the row back) is the stored row.
func TestUpdatedContactIsTheRow(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ct, err := e.svc.CreateContact(e.ctx, e.c, ContactInput{Name: ptr("Ann"), Email: ptr("ann@example.com"),
		Attributes: map[string]any{"a": map[string]any{"b": 1.5}, "n": 2}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.svc.UpdateContact(e.ctx, e.c, ct.ID, ContactInput{Email: ptr(""), Phone: ptr("+4915112345678"),
		Attributes: map[string]any{"n": nil, "c": []any{"x", true}}})
	if err != nil {
		t.Fatal(err)
	}
	row := e.c.Contact.GetX(e.ctx, ct.ID)
	if !reflect.DeepEqual(ContactData(got), ContactData(row)) || !got.UpdatedAt.Equal(row.UpdatedAt) ||
		!got.CreatedAt.Equal(row.CreatedAt) || got.WorkspaceID != row.WorkspaceID {
		t.Fatalf("returned %+v\nstored   %+v", got, row)
	}
	if _, err := e.svc.UpdateContact(e.other, e.c, ct.ID, ContactInput{Name: ptr("Bob")}); apperr.KindOf(err) != apperr.KindNotFound {
		t.Fatalf("another workspace's update: %v, want NOT_FOUND", err)
	}
}
