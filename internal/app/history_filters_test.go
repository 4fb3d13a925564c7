package app

import (
	"testing"
	"time"

	"github.com/wexio/webhooks/internal/testkit"
)

// Each WebhookLogFilter field, alone, through GraphQL.
func TestHistoryFilters(t *testing.T) {
	t.Parallel()
	ta := newOutboundApp(t)
	rc := newReceiver(t, func(int) int { return 200 })
	out := str(ta.ok(t, ta.key, createOutbound, map[string]any{"in": map[string]any{
		"name": "o", "url": rc.URL, "events": []string{"*"}, "auth": map[string]any{"mode": "NONE"}}}), "createOutboundWebhook.webhook.id")
	a := ta.createIn(t, ta.key, map[string]any{"name": "a"})
	b := ta.createIn(t, ta.key, map[string]any{"name": "b"})
	ta.postJSON(t, a, `{}`, nil)
	ta.send(t, "POST", a.path, "application/json", []byte(`{}`), nil) // REJECTED
	ta.postJSON(t, b, `{}`, nil)
	// The time of b's row splits the rows: a's two came before it, the
	// outbound attempt after (since is inclusive, until exclusive).
	split, err := time.Parse(time.RFC3339Nano, str(ta.logs(t, ta.key, b.id)[0], "occurredAt"))
	if err != nil {
		t.Fatal(err)
	}
	ta.ok(t, ta.key, `mutation { createContact(input: {name: "x"}) { id } }`, nil)
	rc.wait(t, 1)
	testkit.Eventually(t, "the attempt row", func() bool { return len(ta.logs(t, ta.key, out)) == 1 })
	count := func(where map[string]any) float64 {
		d := ta.ok(t, ta.key, `query($w: WebhookLogFilter) { webhookLogs(first: 50, where: $w) { totalCount edges { node { id } } } }`,
			map[string]any{"w": where})
		if n := len(get(d, "webhookLogs.edges").([]any)); float64(n) != get(d, "webhookLogs.totalCount") {
			t.Fatalf("%v: %d edges, totalCount %v", where, n, get(d, "webhookLogs.totalCount"))
		}
		return get(d, "webhookLogs.totalCount").(float64)
	}
	cases := []struct {
		where map[string]any
		want  float64
	}{
		{map[string]any{}, 4},
		{map[string]any{"webhookId": a.id}, 2},
		{map[string]any{"direction": "OUTBOUND"}, 1},
		{map[string]any{"direction": "INBOUND"}, 3},
		{map[string]any{"outcomes": []string{"REJECTED"}}, 1},
		{map[string]any{"outcomes": []string{"ACCEPTED", "SUCCEEDED"}}, 3},
		{map[string]any{"since": split.Format(time.RFC3339Nano)}, 2},
		{map[string]any{"until": split.Format(time.RFC3339Nano)}, 2},
		{map[string]any{"since": split.Add(-time.Hour).Format(time.RFC3339Nano), "until": split.Add(time.Hour).Format(time.RFC3339Nano)}, 4},
		{map[string]any{"eventType": "contact.*"}, 1},
		{map[string]any{"eventType": "contact.created"}, 1},
		{map[string]any{"eventType": "chat.*"}, 0},
	}
	for _, tc := range cases {
		if got := count(tc.where); got != tc.want {
			t.Errorf("filter %v: %v rows, want %v", tc.where, got, tc.want)
		}
	}

	// The edges a page selects are loaded with it, and a row without one
	// shows null: the outbound attempt has its event, the requests none.
	d := ta.ok(t, ta.key, `{ webhookLogs(first: 50) { edges { node { direction webhook { id } event { type }
		contact { id } flowRuns { id } } } } }`, nil)
	for _, e := range get(d, "webhookLogs.edges").([]any) {
		n := get(e, "node")
		wantEvent := map[string]any{"type": "contact.created"}
		if str(n, "direction") == "INBOUND" {
			wantEvent = nil
		}
		if mustJSON(get(n, "event")) != mustJSON(wantEvent) || get(n, "webhook.id") == nil ||
			get(n, "contact") != nil || len(get(n, "flowRuns").([]any)) != 0 {
			t.Fatalf("page node %v", n)
		}
	}
	if r := ta.gql(t, ta.key, `{ webhookLogs(first: 1, last: 1) { totalCount } }`, nil); r.code() != "BAD_USER_INPUT" {
		t.Fatalf("first and last together: %s", r.Raw)
	}

	// A webhook's own logs count within it, and a filter naming another
	// webhook matches nothing there.
	ofA := func(where map[string]any) float64 {
		d := ta.ok(t, ta.key, `query($id: ID!, $w: WebhookLogFilter) { node(id: $id) { ... on Webhook {
			logs(first: 50, where: $w) { totalCount edges { node { id } } } } } }`, map[string]any{"id": a.id, "w": where})
		if n := len(get(d, "node.logs.edges").([]any)); float64(n) != get(d, "node.logs.totalCount") {
			t.Fatalf("%v: %d edges, totalCount %v", where, n, get(d, "node.logs.totalCount"))
		}
		return get(d, "node.logs.totalCount").(float64)
	}
	for _, tc := range []struct {
		where map[string]any
		want  float64
	}{
		{map[string]any{}, 2},
		{map[string]any{"outcomes": []string{"REJECTED"}}, 1},
		{map[string]any{"webhookId": a.id}, 2},
		{map[string]any{"webhookId": b.id}, 0},
	} {
		if got := ofA(tc.where); got != tc.want {
			t.Errorf("webhook a, filter %v: %v rows, want %v", tc.where, got, tc.want)
		}
	}
}
