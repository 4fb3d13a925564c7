package app

import (
	"strings"
	"testing"

	"github.com/wexio/webhooks/internal/testkit"
)

// The tail's filters: webhookId streams that webhook's rows only, direction
// that direction's only, and another workspace's webhook id is NOT_FOUND.
func TestLiveTailFilters(t *testing.T) {
	t.Parallel()
	ta := newOutboundApp(t)
	rc := newReceiver(t, func(int) int { return 200 })
	ta.ok(t, ta.key, createOutbound, map[string]any{"in": map[string]any{
		"name": "o", "url": rc.URL, "events": []string{"*"}, "auth": map[string]any{"mode": "NONE"}}})
	a := ta.createIn(t, ta.key, map[string]any{"name": "a"})
	b := ta.createIn(t, ta.key, map[string]any{"name": "b"})
	foreign := ta.createIn(t, ta.newWorkspace(t, "other"), map[string]any{})

	c := ta.dialWS(t, "graphql-transport-ws", ta.key)
	c.expect("connection_ack")
	c.subscribe("a", tailQuery, map[string]any{"w": a.id})
	c.subscribe("out", `subscription { webhookLogTail(direction: OUTBOUND) { id direction } }`, nil)
	c.subscribe("foreign", tailQuery, map[string]any{"w": foreign.id})
	got := map[string][]string{} // payloads by subscription, in order
	testkit.Eventually(t, "two subscriptions", func() bool { return ta.tail.Len() == 2 })

	ta.postJSON(t, b, `{}`, nil) // neither subscription's
	ta.postJSON(t, a, `{}`, nil)
	ta.ok(t, ta.key, `mutation { createContact(input: {name: "x"}) { id } }`, nil) // one OUTBOUND attempt
	rc.wait(t, 1)
	for len(got["a"]) < 1 || len(got["out"]) < 1 || len(got["foreign"]) < 1 {
		if m := c.next2(t); m.Type == "next" || m.Type == "error" {
			got[m.ID] = append(got[m.ID], string(m.Payload))
		}
	}
	if !strings.Contains(got["a"][0], a.id) || !strings.Contains(got["out"][0], `"OUTBOUND"`) {
		t.Fatalf("frames: %v", got)
	}
	if refused := got["foreign"][0]; !strings.Contains(refused, `"NOT_FOUND"`) || strings.Contains(refused, `"webhookLogTail":{`) {
		t.Fatalf("another workspace's webhook: %s", refused)
	}
}
