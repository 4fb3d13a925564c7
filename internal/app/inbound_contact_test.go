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
