package app

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/internal/testkit"
)

const listPage = `query($first: Int!) {
	webhooks(first: $first, orderBy: {field: CREATED_AT, direction: DESC}) {
		edges { node { id name direction flowCount lastActivityAt } }
	}
}`

// TestListBatchesPerRowFields: a page of webhooks gets each row's flow
// count and last activity as the webhook alone would, in a few queries
// for 40 rows as for 4: not one per row, nor, for an outbound webhook's
// flow count, a read of every flow per row.
func TestListBatchesPerRowFields(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	ta.stopWork() // nothing but the pages reads meanwhile
	<-ta.workDone
	var queries atomic.Int64
	ta.db.Read.Intercept(ent.InterceptFunc(func(next ent.Querier) ent.Querier {
		return ent.QuerierFunc(func(ctx context.Context, q ent.Query) (ent.Value, error) {
			queries.Add(1)
			return next.Query(ctx, q)
		})
	}))
	flowTo := func(webhookID, emits string) {
		in := map[string]any{"name": "f " + emits, "trigger": map[string]any{"type": "WEBHOOK_RECEIVED", "webhookId": webhookID},
			"steps": []any{map[string]any{"type": "EMIT_EVENT", "config": map[string]any{"name": emits}}}}
		ta.ok(t, ta.key, createFlow, map[string]any{"in": in})
	}
	page := func(first int) (map[string]map[string]any, int64) {
		before := queries.Load()
		d := ta.ok(t, ta.key, listPage, map[string]any{"first": first})
		n := queries.Load() - before
		rows := map[string]map[string]any{}
		for _, e := range d["webhooks"].(map[string]any)["edges"].([]any) {
			node := e.(map[string]any)["node"].(map[string]any)
			rows[node["id"].(string)] = node
		}
		return rows, n
	}
	// Four rows: two inbound (one with two flows, the other with a
	// request), two outbound (one subscribed to what those flows emit).
	busy := ta.createIn(t, ta.key, map[string]any{"name": "busy"})
	active := ta.createIn(t, ta.key, map[string]any{"name": "active"})
	flowTo(busy.id, "order")
	flowTo(busy.id, "refund")
	if r := ta.postJSON(t, active, `{"a":1}`, nil); r.status != 202 {
		t.Fatalf("post: %d %s", r.status, r.body)
	}
	for _, events := range [][]string{{"flow.order"}, {"contact.created"}} {
		ta.ok(t, ta.key, createOutbound, map[string]any{"in": map[string]any{
			"name": "out " + events[0], "url": "https://receiver.example/h", "events": events}})
	}
	rows, small := page(4)
	if len(rows) != 4 {
		t.Fatalf("%d rows, want 4", len(rows))
	}
	const single = `query($id: ID!) { node(id: $id) { ... on Webhook { flowCount lastActivityAt } } }`
	for id, row := range rows {
		alone := ta.ok(t, ta.key, single, map[string]any{"id": id})["node"].(map[string]any)
		if fmt.Sprint(row["flowCount"], row["lastActivityAt"]) != fmt.Sprint(alone["flowCount"], alone["lastActivityAt"]) {
			t.Errorf("%s in the list: flowCount %v, lastActivityAt %v; alone: %v, %v", row["name"],
				row["flowCount"], row["lastActivityAt"], alone["flowCount"], alone["lastActivityAt"])
		}
	}
	want := map[string]float64{"busy": 2, "active": 0, "out flow.order": 1, "out contact.created": 0}
	for _, row := range rows {
		if got := row["flowCount"].(float64); got != want[row["name"].(string)] {
			t.Errorf("%s: flowCount %v, want %v", row["name"], got, want[row["name"].(string)])
		}
		if (row["name"] == "active") != (row["lastActivityAt"] != nil) {
			t.Errorf("%s: lastActivityAt %v", row["name"], row["lastActivityAt"])
		}
	}
	for i := range 36 {
		if i%2 == 0 {
			ta.createIn(t, ta.key, map[string]any{"name": fmt.Sprintf("in %d", i)})
		} else {
			ta.ok(t, ta.key, createOutbound, map[string]any{"in": map[string]any{
				"name": fmt.Sprintf("out %d", i), "url": "https://receiver.example/h", "events": []string{"*"}}})
		}
	}
	rows, large := page(40)
	if len(rows) != 40 {
		t.Fatalf("%d rows, want 40", len(rows))
	}
	// A row at a time would be two queries a row, 80 and more; batched, a
	// few whatever the page (5 on an idle machine: a batch goes in two
	// when a row's resolver starts after the loader's wait).
	if large > 12 {
		t.Fatalf("a page of 40 made %d queries, a page of 4 made %d: the per-row fields are not batched", large, small)
	}
	t.Logf("queries: %d for a page of 4, %d for a page of 40", small, large)
}

// TestSubscriptionReadsPerRowFieldsAfresh: a live tail lives for hours, and
// each row it sends reads its webhook's fields as they are then: the
// second request's row shows the flow bound meanwhile and a later last
// activity, not the first row's values kept.
func TestSubscriptionReadsPerRowFieldsAfresh(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	h := ta.createIn(t, ta.key, map[string]any{"name": "tailed"})
	c := ta.dialWS(t, "graphql-transport-ws", ta.key)
	c.expect("connection_ack")
	c.subscribe("t", `subscription($w: ID) { webhookLogTail(webhookId: $w) { webhook { flowCount lastActivityAt } } }`,
		map[string]any{"w": h.id})
	testkit.Eventually(t, "the subscription", func() bool { return ta.tail.Len() == 1 })
	next := func() map[string]any {
		t.Helper()
		for {
			m := c.next2(t)
			if m.Type == "error" {
				t.Fatalf("subscription error: %s", m.Payload)
			}
			if m.Type != "next" {
				continue
			}
			var p struct {
				Data struct {
					Tail struct {
						Webhook map[string]any `json:"webhook"`
					} `json:"webhookLogTail"`
				} `json:"data"`
			}
			if err := json.Unmarshal(m.Payload, &p); err != nil {
				t.Fatal(err)
			}
			return p.Data.Tail.Webhook
		}
	}
	if r := ta.postJSON(t, h, `{"n":1}`, nil); r.status != 202 {
		t.Fatalf("post: %d %s", r.status, r.body)
	}
	first := next()
	ta.ok(t, ta.key, createFlow, map[string]any{"in": map[string]any{"name": "f",
		"trigger": map[string]any{"type": "WEBHOOK_RECEIVED", "webhookId": h.id},
		"steps":   []any{map[string]any{"type": "EMIT_EVENT", "config": map[string]any{"name": "x"}}}}})
	time.Sleep(2 * time.Millisecond) // the two rows' times apart
	if r := ta.postJSON(t, h, `{"n":2}`, nil); r.status != 202 {
		t.Fatalf("post: %d %s", r.status, r.body)
	}
	second := next()
	if first["flowCount"] != 0.0 || second["flowCount"] != 1.0 {
		t.Fatalf("flowCount %v then %v, want 0 then 1", first["flowCount"], second["flowCount"])
	}
	if second["lastActivityAt"] == first["lastActivityAt"] {
		t.Fatalf("lastActivityAt %v on both rows: the second row's is later", first["lastActivityAt"])
	}
}
