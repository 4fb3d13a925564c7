package app

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/testkit"
)

const createFlow = `mutation($in: CreateFlowInput!) { createFlow(input: $in) { id enabled trigger { type webhook { id flowCount } } steps { type config } } }`

// The whole path: a Stripe-signed request resolves its contact, starts a
// flow with all three cards, and the outbound receiver gets flow.<name> with
// templated data (numbers stay numbers) and message.outbound.created; a
// duplicate starts nothing.
func TestFlowEndToEnd(t *testing.T) {
	t.Parallel()
	ta := newOutboundApp(t)
	rc := newReceiver(t, func(int) int { return 200 })
	ta.ok(t, ta.key, createOutbound, map[string]any{"in": map[string]any{
		"name": "out", "url": rc.URL, "events": []string{"flow.*", "message.outbound.created"}, "auth": map[string]any{"mode": "NONE"}}})
	h := ta.createIn(t, ta.key, map[string]any{"auth": map[string]any{"mode": "STRIPE", "secret": "whsec_flow"},
		"contactResolution": map[string]any{"match": "EMAIL", "path": "data.object.customer_email", "createIfMissing": true}})
	f := ta.ok(t, ta.key, createFlow, map[string]any{"in": map[string]any{
		"name": "paid", "trigger": map[string]any{"type": "WEBHOOK_RECEIVED", "webhookId": h.id},
		"steps": []any{
			map[string]any{"type": "EMIT_EVENT", "config": map[string]any{"name": "order.paid", "data": map[string]any{
				"amount": "{{payload.data.object.amount}}", "email": "{{contact.email}}", "line": "paid {{payload.data.object.amount}} via {{webhook.name}}",
				"trace": "{{headers.x-trace}}"}}},
			map[string]any{"type": "UPDATE_CONTACT", "config": map[string]any{"set": map[string]any{"name": "{{payload.data.object.name}}", "attributes.plan": "gold"}}},
			map[string]any{"type": "SEND_MESSAGE", "config": map[string]any{"channel": "whatsapp", "text": "Thanks {{contact.name}}!"}},
		}}})
	if get(f, "createFlow.trigger.webhook.flowCount") != 1.0 {
		t.Fatalf("flowCount %v", f)
	}
	body := `{"id":"evt_9","data":{"object":{"amount":4250,"customer_email":"Ann@Example.com","name":"Ann"}}}`
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	hdr := map[string]string{"X-Trace": "tr-1", "Stripe-Signature": "t=" + ts + ",v1=" + hmacHex(sha256.New, []byte("whsec_flow"), ts+"."+body)}
	if r := ta.send(t, http.MethodPost, h.path, "application/json", []byte(body), hdr); r.status != 202 {
		t.Fatalf("inbound %d %s", r.status, r.body)
	}
	if r := ta.send(t, http.MethodPost, h.path, "application/json", []byte(body), hdr); r.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("the Stripe event id did not deduplicate: %v", r.header)
	}
	got := rc.wait(t, 2)
	time.Sleep(100 * time.Millisecond) // nothing more may arrive (the duplicate started no run)
	if n := len(rc.all()); n != 2 {
		t.Fatalf("receiver got %d requests, want 2", n)
	}
	byType := map[string]map[string]any{}
	for _, g := range got {
		var env map[string]any
		_ = json.Unmarshal(g.body, &env)
		byType[str(env, "type")] = env
	}
	ev := byType["flow.order.paid"]
	if get(ev, "data.amount") != 4250.0 || str(ev, "data.email") != "ann@example.com" ||
		str(ev, "data.line") != "paid 4250 via in" || str(ev, "data.trace") != "tr-1" {
		t.Fatalf("flow event %v", ev)
	}
	if msg := byType["message.outbound.created"]; str(msg, "data.text") != "Thanks Ann!" {
		t.Fatalf("message event %v", msg)
	}
	logs := ta.logs(t, ta.key, h.id)
	testkit.Eventually(t, "the run SUCCEEDED and the contact updated", func() bool {
		d := ta.ok(t, ta.key, `query($id: ID!) { node(id: $id) { ... on WebhookLog { flowRuns { status steps { type status error } } contact { name attributes } } } }`,
			map[string]any{"id": str(logs[1], "id")})
		return str(d, "node.flowRuns.0.status") == "SUCCEEDED" && str(d, "node.contact.name") == "Ann" &&
			str(d, "node.contact.attributes.plan") == "gold" && len(get(d, "node.flowRuns.0.steps").([]any)) == 3 &&
			get(d, "node.flowRuns.0.steps.0.error") == nil // null, not "", on a step that did not fail
	})
	if len(get(logs[0], "flowRuns").([]any)) != 0 || str(logs[0], "outcome") != "DUPLICATE" {
		t.Fatalf("the duplicate started a run: %v", logs[0])
	}
}

// A failing step fails the run with its reason; a disabled flow does not
// run; a flow cannot be bound to another workspace's webhook.
func TestFlowFailuresAndBindings(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	h := ta.createIn(t, ta.key, map[string]any{})
	mk := func(name string, enabled bool, steps ...any) string {
		return str(ta.ok(t, ta.key, createFlow, map[string]any{"in": map[string]any{"name": name, "enabled": enabled,
			"trigger": map[string]any{"type": "WEBHOOK_RECEIVED", "webhookId": h.id}, "steps": steps}}), "createFlow.id")
	}
	// No contact resolution configured: a contact step cannot run.
	failing := mk("needs-contact", true, map[string]any{"type": "UPDATE_CONTACT", "config": map[string]any{"set": map[string]any{"name": "x"}}})
	off := mk("off", false, map[string]any{"type": "EMIT_EVENT", "config": map[string]any{"name": "never"}})
	// flowCount counts the flows bound to the webhook, enabled or not.
	if n := get(ta.ok(t, ta.key, `query($id: ID!) { node(id: $id) { ... on Webhook { flowCount } } }`,
		map[string]any{"id": h.id}), "node.flowCount"); n != 2.0 {
		t.Fatalf("flowCount %v, want 2", n)
	}
	if r := ta.postJSON(t, h, `{}`, nil); r.status != 202 {
		t.Fatalf("inbound %d", r.status)
	}
	runs := `query($id: ID!) { node(id: $id) { ... on Flow { runs(first: 5) { totalCount edges { node { status error } } } } } }`
	testkit.Eventually(t, "the failing run FAILED", func() bool {
		return str(ta.ok(t, ta.key, runs, map[string]any{"id": failing}), "node.runs.edges.0.node.status") == "FAILED"
	})
	if e := str(ta.ok(t, ta.key, runs, map[string]any{"id": failing}), "node.runs.edges.0.node.error"); !strings.Contains(e, "contact") {
		t.Fatalf("failure reason %q", e)
	}
	if n := get(ta.ok(t, ta.key, runs, map[string]any{"id": off}), "node.runs.totalCount"); n != 0.0 {
		t.Fatalf("the disabled flow has %v runs", n)
	}
	otherKey := ta.newWorkspace(t, "other")
	r := ta.gql(t, otherKey, createFlow, map[string]any{"in": map[string]any{"name": "steal",
		"trigger": map[string]any{"type": "WEBHOOK_RECEIVED", "webhookId": h.id},
		"steps":   []any{map[string]any{"type": "EMIT_EVENT", "config": map[string]any{"name": "x"}}}}})
	if r.code() != "BAD_USER_INPUT" && r.code() != "NOT_FOUND" {
		t.Fatalf("cross-workspace binding: %s", r.Raw)
	}
	bad := ta.gql(t, ta.key, createFlow, map[string]any{"in": map[string]any{"name": "bad",
		"trigger": map[string]any{"type": "WEBHOOK_RECEIVED", "webhookId": h.id},
		"steps":   []any{map[string]any{"type": "EMIT_EVENT", "config": map[string]any{"name": "no spaces!"}}}}})
	if bad.code() != "BAD_USER_INPUT" {
		t.Fatalf("invalid event name: %s", bad.Raw)
	}
}

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
