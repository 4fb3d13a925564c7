package app

import (
	"testing"
)

// Contact resolution (CONTRACT.md §6) for each match: the log links the
// contact found, EMAIL compares case-insensitively, PHONE in E.164,
// createIfMissing creates the contact and emits contact.created.
func TestInboundResolvesContacts(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	mk := `mutation($in: CreateContactInput!) { createContact(input: $in) { id } }`
	ann := str(ta.ok(t, ta.key, mk, map[string]any{"in": map[string]any{
		"email": "ann@example.com", "phone": "+442079460958", "chatId": "-1001234567890", "channelUserId": "U42"}}), "createContact.id")
	cases := []struct {
		match, path, body string
		create            bool
		want              string // "ann", "new" or "" (no contact)
	}{
		{"EMAIL", "data.object.customer.email", `{"data":{"object":{"customer":{"email":"ANN@Example.COM"}}}}`, false, "ann"},
		{"PHONE", "from", `{"from":"+44 20 7946 0958"}`, false, "ann"},
		{"CHAT_ID", "message.chat.id", `{"message":{"chat":{"id":-1001234567890}}}`, false, "ann"},
		{"CHANNEL_USER_ID", "events.0.user", `{"events":[{"user":"U42"}]}`, false, "ann"},
		{"EMAIL", "email", `{"email":"nobody@example.com"}`, false, ""},
		{"EMAIL", "email", `{"other":1}`, true, ""},
		{"EMAIL", "email", `{"email":"Bob@Example.com"}`, true, "new"},
	}
	for i, tc := range cases {
		h := ta.createIn(t, ta.key, map[string]any{"contactResolution": map[string]any{
			"match": tc.match, "path": tc.path, "createIfMissing": tc.create}})
		if r := ta.postJSON(t, h, tc.body, nil); r.status != 202 {
			t.Fatalf("case %d: %d %s", i, r.status, r.body)
		}
		got := str(ta.logs(t, ta.key, h.id)[0], "contact.id")
		switch {
		case tc.want == "ann" && got != ann, tc.want == "" && got != "", tc.want == "new" && (got == "" || got == ann):
			t.Errorf("case %d (%s %s): contact %q, want %s", i, tc.match, tc.body, got, tc.want)
		}
	}
	d := ta.ok(t, ta.key, `{ contacts(first: 10) { totalCount } events(first: 10, where: {type: "contact.created"}) { totalCount } }`, nil)
	if get(d, "contacts.totalCount") != 2.0 || get(d, "events.totalCount") != 2.0 {
		t.Fatalf("contacts and contact.created events: %v", d)
	}
}

// TestLogSaysHowTheContactWasResolved: the log row of a request to a
// webhook that resolves contacts tells the outcome and the value looked
// for: matched, created, no contact, path missing, invalid value; a
// webhook resolving none says nothing.
func TestLogSaysHowTheContactWasResolved(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	ta.ok(t, ta.key, `mutation { createContact(input: {email: "ann@example.com"}) { id } }`, nil)
	q := `query($w: ID) { webhookLogs(first: 1, where: {webhookId: $w}) { edges { node { contactResolution { outcome value } } } } }`
	for _, tc := range []struct {
		body         string
		create       bool
		outcome, val string
	}{
		{`{"email":"ANN@example.com"}`, false, "MATCHED", "ANN@example.com"},
		{`{"email":"bob@example.com"}`, true, "CREATED", "bob@example.com"},
		{`{"email":"carl@example.com"}`, false, "NO_CONTACT", "carl@example.com"},
		{`{"other":1}`, false, "PATH_MISSING", ""},
		{`{"email":"not an email"}`, true, "INVALID_VALUE", "not an email"},
		{`{"email":42}`, false, "INVALID_VALUE", "42"},
	} {
		h := ta.createIn(t, ta.key, map[string]any{"contactResolution": map[string]any{
			"match": "EMAIL", "path": "email", "createIfMissing": tc.create}})
		if r := ta.postJSON(t, h, tc.body, nil); r.status != 202 {
			t.Fatalf("%s: %d %s", tc.body, r.status, r.body)
		}
		res := get(ta.ok(t, ta.key, q, map[string]any{"w": h.id}), "webhookLogs.edges.0.node.contactResolution")
		if get(res, "outcome") != tc.outcome || (tc.val == "") != (get(res, "value") == nil) ||
			tc.val != "" && get(res, "value") != tc.val {
			t.Errorf("%s: contactResolution %v, want %s %q", tc.body, res, tc.outcome, tc.val)
		}
	}
	plain := ta.createIn(t, ta.key, map[string]any{"name": "plain"})
	ta.postJSON(t, plain, `{"email":"ann@example.com"}`, nil)
	if res := get(ta.ok(t, ta.key, q, map[string]any{"w": plain.id}), "webhookLogs.edges.0.node.contactResolution"); res != nil {
		t.Errorf("a webhook resolving no contacts: %v", res)
	}
}
