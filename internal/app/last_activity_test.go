package app

import (
	"testing"
	"time"
)

// lastActivityAt is null before a webhook's first log row and then the time
// of its latest one, which is what the console's list shows.
func TestLastActivityAt(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	h := ta.createIn(t, ta.key, map[string]any{})
	other := ta.createIn(t, ta.key, map[string]any{"name": "other"})
	const q = `query($id: ID!) { node(id: $id) { ... on Webhook { lastActivityAt } } }`
	if v := get(ta.ok(t, ta.key, q, map[string]any{"id": h.id}), "node.lastActivityAt"); v != nil {
		t.Fatalf("lastActivityAt before any request = %v, want null", v)
	}
	for range 2 {
		if r := ta.postJSON(t, h, `{"a":1}`, nil); r.status != 202 {
			t.Fatalf("post: %d %s", r.status, r.body)
		}
	}
	newest := str(ta.logs(t, ta.key, h.id)[0], "occurredAt")
	got := str(ta.ok(t, ta.key, q, map[string]any{"id": h.id}), "node.lastActivityAt")
	gt, err1 := time.Parse(time.RFC3339Nano, got)
	nt, err2 := time.Parse(time.RFC3339Nano, newest)
	if err1 != nil || err2 != nil || !gt.Equal(nt) {
		t.Fatalf("lastActivityAt = %q, want the newest log's time %q", got, newest)
	}
	// Another webhook's rows are not this one's activity.
	if v := get(ta.ok(t, ta.key, q, map[string]any{"id": other.id}), "node.lastActivityAt"); v != nil {
		t.Fatalf("lastActivityAt of a webhook without requests = %v", v)
	}
}
