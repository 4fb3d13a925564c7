package crm

import (
	"encoding/json"
	"testing"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/events"
)

func TestResolveFindsByEachMatch(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ct, err := e.svc.CreateContact(e.ctx, e.c, ContactInput{Email: ptr("ann@example.com"),
		Phone: ptr("+442079460958"), ChatID: ptr("123456789"), ChannelUserID: ptr("U-1")})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		match schematype.ContactMatch
		value any
		found bool
	}{
		{schematype.MatchEmail, "ann@example.com", true},
		{schematype.MatchEmail, " Ann@EXAMPLE.com", true},
		{schematype.MatchEmail, "Ann <ANN@example.com>", true},
		{schematype.MatchEmail, "bob@example.com", false},
		{schematype.MatchEmail, "not an address", false},
		{schematype.MatchPhone, "+44 20 7946 0958", true},
		{schematype.MatchPhone, "+442079460958", true},
		{schematype.MatchPhone, "0044 (20) 7946-0958", true},
		{schematype.MatchPhone, "442079460958", true}, // wa_id style
		{schematype.MatchPhone, float64(442079460958), true},
		{schematype.MatchPhone, "020 7946 0958", false}, // no region configured
		{schematype.MatchPhone, "+1 415 555 2671", false},
		{schematype.MatchChatID, "123456789", true},
		{schematype.MatchChatID, float64(123456789), true},
		{schematype.MatchChatID, json.Number("123456789"), true},
		{schematype.MatchChatID, json.Number("1.23456789e8"), true},
		{schematype.MatchChatID, int64(123456789), true},
		{schematype.MatchChatID, "0123456789", false},
		{schematype.MatchChannelUserID, "U-1", true},
		{schematype.MatchChannelUserID, "u-1", false},
		{schematype.MatchChatID, nil, false},
		{schematype.MatchChatID, "", false},
		{schematype.MatchChatID, true, false},
		{schematype.MatchChatID, map[string]any{"id": "123456789"}, false},
		{schematype.MatchChatID, []any{"123456789"}, false},
	}
	for _, tt := range tests {
		got, created, err := e.svc.Resolve(e.ctx, e.c, tt.match, tt.value, false)
		if err != nil || created || (got != nil) != tt.found || got != nil && got.ID != ct.ID {
			t.Errorf("Resolve(%s, %#v) = %v, %v, %v; want found=%v", tt.match, tt.value, got, created, err, tt.found)
		}
	}
	// Another workspace does not see the contact.
	if got, _, err := e.svc.Resolve(e.other, e.c, schematype.MatchEmail, "ann@example.com", false); got != nil || err != nil {
		t.Errorf("other workspace resolved %v, %v", got, err)
	}
	e.wantEvents(t, events.ContactCreated)
}

func TestResolveCreatesWhenMissing(t *testing.T) {
	t.Parallel()
	e := setup(t)
	tests := []struct {
		match schematype.ContactMatch
		value any
		field func(ctData ContactFields) *string
		want  string
	}{
		{schematype.MatchEmail, "Bob@Example.com", func(d ContactFields) *string { return d.Email }, "bob@example.com"},
		{schematype.MatchPhone, "+44 20 7946 0958", func(d ContactFields) *string { return d.Phone }, "+442079460958"},
		{schematype.MatchChatID, float64(-1001234567890), func(d ContactFields) *string { return d.ChatID }, "-1001234567890"},
		{schematype.MatchChannelUserID, "U 9", func(d ContactFields) *string { return d.ChannelUserID }, "U 9"},
	}
	var want []string
	for _, tt := range tests {
		ct, created, err := resolveIn(t, e, tt.match, tt.value, true)
		if err != nil || !created || ct == nil {
			t.Fatalf("Resolve(%s, %v, create) = %v, %v, %v", tt.match, tt.value, ct, created, err)
		}
		want = append(want, events.ContactCreated)
		data := e.lastData(t, events.ContactCreated)
		if v := tt.field(ContactData(ct)); v == nil || *v != tt.want || data != jsonOf(t, ContactData(ct)) {
			t.Fatalf("created %s: data %s", tt.match, data)
		}
		again, created, err := resolveIn(t, e, tt.match, tt.value, true)
		if err != nil || created || again.ID != ct.ID {
			t.Fatalf("second Resolve(%s) = %v, %v, %v", tt.match, again, created, err)
		}
	}
	// Nothing to match: no contact, no error, nothing created.
	for _, v := range []any{nil, "  ", "not an address", map[string]any{}} {
		if ct, created, err := resolveIn(t, e, schematype.MatchEmail, v, true); ct != nil || created || err != nil {
			t.Errorf("Resolve(%#v) = %v, %v, %v", v, ct, created, err)
		}
	}
	if _, _, err := resolveIn(t, e, "NAME", "Ann", true); err == nil {
		t.Error("Resolve with an unknown match: no error")
	}
	e.wantEvents(t, want...)
}

// resolveIn runs Resolve in a transaction of its own, committed, as the
// inbound handler runs it in its batch's.
func resolveIn(t *testing.T, e *env, match schematype.ContactMatch, value any, create bool) (*ent.Contact, bool, error) {
	t.Helper()
	tx, err := e.c.Tx(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	ct, created, err := e.svc.Resolve(e.ctx, tx.Client(), match, value, create)
	if err != nil {
		_ = tx.Rollback()
		return ct, created, err
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return ct, created, nil
}
