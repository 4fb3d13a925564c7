package app

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	entgo "entgo.io/ent"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/internal/testkit"
)

// Paging through history while new rows arrive neither repeats nor skips a
// row, forwards and backwards, with and without totalCount; totalCount
// counts every row the filter matches at the time, whatever the cursor.
func TestHistoryPaginationWhileRowsArrive(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	h := ta.createIn(t, ta.key, map[string]any{})
	for i := 0; i < 25; i++ {
		ta.postJSON(t, h, fmt.Sprintf(`{"n":%d}`, i), nil)
	}
	for _, count := range []string{"", "totalCount"} {
		all := ta.logs(t, ta.key, h.id) // newest first, before the late rows
		q := `query($w: ID, $a: Cursor, $b: Cursor, $f: Int, $l: Int) { webhookLogs(first: $f, after: $a, last: $l, before: $b, where: {webhookId: $w}) {
			` + count + ` pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } } } }`
		var seen, cursors []string
		vars := map[string]any{"w": h.id, "f": 10}
		for page := 0; ; page++ {
			d := get(ta.ok(t, ta.key, q, vars), "webhookLogs")
			if want := float64(len(all) + page); count != "" && get(d, "totalCount") != want {
				t.Fatalf("page %d: totalCount %v, want %v", page, get(d, "totalCount"), want)
			}
			for _, e := range get(d, "edges").([]any) {
				seen = append(seen, str(e, "node.id"))
				cursors = append(cursors, str(e, "cursor"))
			}
			ta.postJSON(t, h, `{"late":true}`, nil) // newer rows land before the cursor
			if get(d, "pageInfo.hasNextPage") != true {
				break
			}
			vars = map[string]any{"w": h.id, "f": 10, "a": str(d, "pageInfo.endCursor")}
		}
		if mustJSON(seen) != mustJSON(ids(all)) {
			t.Fatalf("forward (%q): saw %d rows %v\nwant %d %v", count, len(seen), seen, len(all), ids(all))
		}
		// Backwards from the oldest page: the same rows, oldest pages first.
		vars = map[string]any{"w": h.id, "l": 10, "b": cursors[14]}
		d := get(ta.ok(t, ta.key, q, vars), "webhookLogs")
		got := []string{}
		for _, e := range get(d, "edges").([]any) {
			got = append(got, str(e, "node.id"))
		}
		if mustJSON(got) != mustJSON(seen[4:14]) || get(d, "pageInfo.hasPreviousPage") != true {
			t.Fatalf("backward (%q): %v, want %v (%v)", count, got, seen[4:14], get(d, "pageInfo"))
		}
	}
}

func ids(rows []any) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = str(r, "id")
	}
	return out
}

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
	before := time.Now().UTC()
	time.Sleep(5 * time.Millisecond)
	ta.postJSON(t, b, `{}`, nil)
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
		{map[string]any{"since": before.Format(time.RFC3339Nano)}, 2},
		{map[string]any{"until": before.Format(time.RFC3339Nano)}, 2},
		{map[string]any{"since": before.Add(-time.Hour).Format(time.RFC3339Nano), "until": before.Add(time.Hour).Format(time.RFC3339Nano)}, 4},
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

// TestListsCountOnlyForTotalCount: pageInfo comes from the page itself, so
// a list counts its rows only when totalCount is asked for; the count grows
// with the table (a month of events), the page does not. pageInfo stays
// right either way.
func TestListsCountOnlyForTotalCount(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	for i := range 3 {
		ta.ok(t, ta.key, `mutation($n: String!) { createContact(input: {name: $n}) { id } }`, map[string]any{"n": fmt.Sprint("c", i)})
	}
	var mu sync.Mutex
	var ops []string
	ta.db.Read.Event.Intercept(ent.InterceptFunc(func(next ent.Querier) ent.Querier {
		return ent.QuerierFunc(func(ctx context.Context, q ent.Query) (ent.Value, error) {
			mu.Lock()
			ops = append(ops, entgo.QueryFromContext(ctx).Op)
			mu.Unlock()
			return next.Query(ctx, q)
		})
	}))
	counted := func() bool {
		mu.Lock()
		defer mu.Unlock()
		c := slices.Contains(ops, "Count")
		ops = nil
		return c
	}
	d := ta.ok(t, ta.key, `{ events(first: 2) { pageInfo { hasNextPage endCursor } edges { node { id } } } }`, nil)
	if counted() {
		t.Error("events with pageInfo and no totalCount counted the table")
	}
	if get(d, "events.pageInfo.hasNextPage") != true || len(get(d, "events.edges").([]any)) != 2 {
		t.Fatalf("first page: %v", d)
	}
	d = ta.ok(t, ta.key, `query($a: Cursor) { events(first: 2, after: $a) { pageInfo { hasNextPage hasPreviousPage } edges { node { id } } } }`,
		map[string]any{"a": get(d, "events.pageInfo.endCursor")})
	if get(d, "events.pageInfo.hasNextPage") != false || get(d, "events.pageInfo.hasPreviousPage") != true || len(get(d, "events.edges").([]any)) != 1 {
		t.Fatalf("second page: %v", d)
	}
	d = ta.ok(t, ta.key, `{ events(first: 2) { totalCount pageInfo { hasNextPage } edges { node { id } } } }`, nil)
	if !counted() || get(d, "events.totalCount") != 3.0 {
		t.Fatalf("with totalCount: %v (counted: want a count)", d)
	}
	d = ta.ok(t, ta.key, `{ events(first: 2) { pageInfo { hasNextPage } } }`, nil)
	if get(d, "events.pageInfo.hasNextPage") != true {
		t.Fatalf("pageInfo alone: %v", d)
	}
}
