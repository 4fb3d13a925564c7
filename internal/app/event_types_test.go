package app

import (
	"slices"
	"testing"

	"github.com/wexio/webhooks/internal/events"
)

// TestEventTypesListsWhatAWebhookCanSubscribeTo: the fixed event types,
// then flow.<name> for each name this workspace's flows emit, enabled or
// not, once each and sorted; never another workspace's.
func TestEventTypesListsWhatAWebhookCanSubscribeTo(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	other := ta.newWorkspace(t, "Other")
	flow := func(key, webhookID string, enabled bool, names ...string) {
		t.Helper()
		var steps []any
		for _, n := range names {
			steps = append(steps, map[string]any{"type": "EMIT_EVENT", "config": map[string]any{"name": n}})
		}
		in := map[string]any{"name": "f", "enabled": enabled, "steps": steps,
			"trigger": map[string]any{"type": "WEBHOOK_RECEIVED", "webhookId": webhookID}}
		ta.ok(t, key, createFlow, map[string]any{"in": in})
	}
	mine, theirs := ta.createIn(t, ta.key, map[string]any{}), ta.createIn(t, other, map[string]any{})
	flow(ta.key, mine.id, true, "refund", "order")
	flow(ta.key, mine.id, false, "order", "archived")
	flow(other, theirs.id, true, "secret")
	var got []string
	for _, v := range ta.ok(t, ta.key, `{ eventTypes }`, nil)["eventTypes"].([]any) {
		got = append(got, v.(string))
	}
	want := append(events.Catalogue(), "flow.archived", "flow.order", "flow.refund")
	if !slices.Equal(got, want) {
		t.Fatalf("eventTypes = %v, want %v", got, want)
	}
}
