package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	entgo "entgo.io/ent"

	"github.com/wexio/webhooks/ent"
)

func TestRelayPagination(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	var want []string // newest first
	for i := range 7 {
		id := str(ta.ok(t, ta.key, createInbound, map[string]any{"in": map[string]any{"name": fmt.Sprintf("w%d", i)}}), "createInboundWebhook.webhook.id")
		want = append([]string{id}, want...)
	}
	const q = `query($first: Int, $after: Cursor, $last: Int, $before: Cursor) {
		webhooks(first: $first, after: $after, last: $last, before: $before) {
			totalCount edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`
	var got []string
	vars := map[string]any{"first": 3}
	for page := 0; ; page++ {
		c := get(ta.ok(t, ta.key, q, vars), "webhooks")
		if get(c, "totalCount") != 7.0 {
			t.Fatalf("totalCount = %v", get(c, "totalCount"))
		}
		for _, e := range get(c, "edges").([]any) {
			got = append(got, str(e, "node.id"))
		}
		if get(c, "pageInfo.hasNextPage") != true {
			break
		}
		vars = map[string]any{"first": 3, "after": get(c, "pageInfo.endCursor")}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("forwards = %v, want %v", got, want)
	}
	got = nil
	vars = map[string]any{"last": 3}
	for {
		c := get(ta.ok(t, ta.key, q, vars), "webhooks")
		var pageIDs []string
		for _, e := range get(c, "edges").([]any) {
			pageIDs = append(pageIDs, str(e, "node.id"))
		}
		got = append(pageIDs, got...)
		if get(c, "pageInfo.hasPreviousPage") != true {
			break
		}
		vars = map[string]any{"last": 3, "before": get(c, "pageInfo.startCursor")}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("backwards = %v, want %v", got, want)
	}
	// where filters.
	d := ta.ok(t, ta.key, `{ webhooks(where: {nameContains: "w3", direction: INBOUND, status: ACTIVE}) { totalCount } }`, nil)
	if get(d, "webhooks.totalCount") != 1.0 {
		t.Fatalf("filtered = %v", d)
	}
	if r := ta.gql(t, ta.key, `{ webhooks(first: 1000) { totalCount } }`, nil); r.code() != "BAD_USER_INPUT" {
		t.Fatalf("oversized page: %s", r.Raw)
	}
	// Nested pages cost the nodes they may return, counted as GitHub
	// counts them: 500 webhooks, 500 logs each, is 250,500 nodes.
	nested := `{ webhooks(first: 500) { edges { node { logs(first: 500) { edges { node { id } } } } } } }`
	if r := ta.gql(t, ta.key, nested, nil); r.code() != "COMPLEXITY_LIMIT_EXCEEDED" ||
		!strings.Contains(r.Errors[0].Message, "250500") || !strings.Contains(r.Errors[0].Message, "50000") {
		t.Fatalf("nested pages: %s", r.Raw)
	}
	// A dashboard's events page (11,100 nodes) runs, and says its cost.
	events := `{ events(first: 100) { edges { node { id type occurredAt
		deliveries { id status attempts webhook { id name } logs { id outcome statusCode occurredAt } } } } } }`
	r := ta.gql(t, ta.key, events, nil)
	if r.Status != 200 || len(r.Errors) > 0 {
		t.Fatalf("the events page: %s", r.Raw)
	}
	if c, _ := r.Extensions["cost"].(map[string]any); c["requested"] != 11100.0 || c["limit"] != 50000.0 {
		t.Fatalf("extensions.cost of the events page: %v", r.Extensions)
	}
	// The largest page is usable with what a list shows of each row, and a
	// page of 100 with each row's request and response (payloads count
	// 200 a row: 500 of them are refused).
	list := `{ webhookLogs(first: 500) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node {
		id direction outcome occurredAt statusCode durationMs error idempotencyKey
		webhook { id name } event { id type } } } } }`
	if r := ta.gql(t, ta.key, list, nil); r.Status != 200 || len(r.Errors) > 0 {
		t.Fatalf("a full page of history: %s", r.Raw)
	}
	bodies := `{ webhookLogs(first: %d) { edges { node { id request { method url headers body } response { headers body } } } } }`
	if r := ta.gql(t, ta.key, fmt.Sprintf(bodies, 100), nil); r.Status != 200 || len(r.Errors) > 0 {
		t.Fatalf("a page of 100 with bodies: %s", r.Raw)
	}
	if r := ta.gql(t, ta.key, fmt.Sprintf(bodies, 500), nil); r.code() != "COMPLEXITY_LIMIT_EXCEEDED" {
		t.Fatalf("a page of 500 with bodies: %s, want COMPLEXITY_LIMIT_EXCEEDED", r.Raw)
	}
}

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
