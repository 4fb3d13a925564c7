package app

import (
	"context"
	"testing"

	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/internal/auth"
)

// A flow deleted behind the inbound cache's back (another process, say)
// does not fail the request: the flows are re-read inside the transaction,
// and a flow bound beside it still gets exactly one run.
func TestInboundSurvivesAFlowDeletedBehindTheCache(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	h := ta.createIn(t, ta.key, map[string]any{})
	flow := func(name string) string {
		return str(ta.ok(t, ta.key, createFlow, map[string]any{"in": map[string]any{"name": name,
			"trigger": map[string]any{"type": "WEBHOOK_RECEIVED", "webhookId": h.id},
			"steps":   []any{map[string]any{"type": "EMIT_EVENT", "config": map[string]any{"name": "x"}}}}}), "createFlow.id")
	}
	kept, gone := flow("kept"), flow("gone") // in this order: kept's run is written before gone's fails
	ta.postJSON(t, h, `{}`, nil)             // caches the webhook with its flows
	ctx := auth.System(context.Background())
	// The read pool's client carries no cache-invalidating hook.
	if _, err := ta.db.Read.FlowRun.Delete().Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if err := ta.db.Read.Flow.DeleteOneID(pulid.ID(gone)).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if r := ta.postJSON(t, h, `{}`, nil); r.status != 202 {
		t.Fatalf("after the flow was deleted: %d %s", r.status, r.body)
	}
	runs, err := ta.db.Read.FlowRun.Query().All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 1 || string(runs[0].FlowID) != kept {
		t.Fatalf("runs after the deletion: %+v, want one of %s", runs, kept)
	}
}

// TestInboundFollowsFlowAndWebhookChanges: the inbound cache of a webhook
// and its flows follows every change made through the API at once: a flow
// created, then disabled, after the webhook was cached, and the webhook
// deleted. (internal/app installs the cache's hook on flows as on webhooks.)
func TestInboundFollowsFlowAndWebhookChanges(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	h := ta.createIn(t, ta.key, map[string]any{})
	ctx := auth.System(context.Background())
	runs := func() int {
		t.Helper()
		n, err := ta.db.Read.FlowRun.Query().Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	post := func(what string, want int) {
		t.Helper()
		if r := ta.postJSON(t, h, `{}`, nil); r.status != want {
			t.Fatalf("%s: %d %s, want %d", what, r.status, r.body, want)
		}
	}
	post("no flow yet (the webhook is cached)", 202)
	id := str(ta.ok(t, ta.key, createFlow, map[string]any{"in": map[string]any{"name": "new",
		"trigger": map[string]any{"type": "WEBHOOK_RECEIVED", "webhookId": h.id},
		"steps":   []any{map[string]any{"type": "EMIT_EVENT", "config": map[string]any{"name": "x"}}}}}), "createFlow.id")
	post("a flow created since", 202)
	if n := runs(); n != 1 {
		t.Fatalf("%d runs after the flow was created, want 1", n)
	}
	ta.ok(t, ta.key, `mutation($id: ID!) { updateFlow(id: $id, input: {enabled: false}) { id } }`, map[string]any{"id": id})
	post("the flow disabled since", 202)
	if n := runs(); n != 1 {
		t.Fatalf("%d runs after the flow was disabled, want still 1", n)
	}
	// Deleted with its history and an enabled flow bound: the flow stays,
	// unbound and disabled, and cannot be enabled without a new trigger.
	enable := `mutation($id: ID!) { updateFlow(id: $id, input: {enabled: true}) { id } }`
	ta.ok(t, ta.key, enable, map[string]any{"id": id})
	ta.ok(t, ta.key, `mutation($id: ID!) { deleteWebhook(id: $id) }`, map[string]any{"id": h.id})
	post("the webhook deleted", 404)
	if f := ta.db.Read.Flow.GetX(ctx, pulid.ID(id)); f.WebhookID != nil || f.Enabled {
		t.Fatalf("the deleted webhook's flow: bound to %v, enabled %v; want unbound, disabled", f.WebhookID, f.Enabled)
	}
	if r := ta.gql(t, ta.key, enable, map[string]any{"id": id}); r.code() != "BAD_USER_INPUT" {
		t.Fatalf("enabling a flow without a webhook: %s, want BAD_USER_INPUT", r.code())
	}
	if n, _ := ta.db.Read.WebhookLog.Query().Count(ctx); n != 0 || runs() != 1 {
		t.Fatalf("after deleting the webhook: %d log rows, %d runs; want its history gone, the run kept", n, runs())
	}
}
