package app

import (
	"crypto/sha256"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wexio/webhooks/internal/testkit"
)

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
	// Nothing more can reach the receiver: the duplicate started no run and
	// the one run has ended, so every event is written, each with its
	// deliveries; once they have all SUCCEEDED, each at its first attempt,
	// the receiver has had every request it will ever get.
	var deliveries []any
	testkit.Eventually(t, "every delivery SUCCEEDED", func() bool {
		d := ta.ok(t, ta.key, `{ events(first: 50) { edges { node { type deliveries { status attempts } } } } }`, nil)
		deliveries = nil
		for _, e := range get(d, "events.edges").([]any) {
			deliveries = append(deliveries, get(e, "node.deliveries").([]any)...)
		}
		return !slices.ContainsFunc(deliveries, func(dl any) bool { return str(dl, "status") != "SUCCEEDED" })
	})
	if len(deliveries) != 2 || get(deliveries[0], "attempts") != 1.0 || get(deliveries[1], "attempts") != 1.0 {
		t.Fatalf("deliveries %v, want 2 of one attempt each", deliveries)
	}
	if n := len(rc.all()); n != 2 {
		t.Fatalf("receiver got %d requests, want 2", n)
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

// TestWebhookFlows: an inbound webhook lists the flows it triggers; an
// outbound one the flows whose EMIT_EVENT events its patterns match,
// counted by flowCount alike.
func TestWebhookFlows(t *testing.T) {
	t.Parallel()
	ta := newOutboundApp(t)
	in := ta.createIn(t, ta.key, map[string]any{})
	out := str(ta.ok(t, ta.key, createOutbound, map[string]any{"in": map[string]any{
		"name": "orders", "url": "https://receiver.example/hook", "events": []string{"flow.order.*"}}}), "createOutboundWebhook.webhook.id")
	mk := func(name string, step map[string]any) string {
		return str(ta.ok(t, ta.key, createFlow, map[string]any{"in": map[string]any{"name": name,
			"trigger": map[string]any{"type": "WEBHOOK_RECEIVED", "webhookId": in.id}, "steps": []any{step}}}), "createFlow.id")
	}
	paid := mk("paid", map[string]any{"type": "EMIT_EVENT", "config": map[string]any{"name": "order.paid", "data": map[string]any{}}})
	mk("other", map[string]any{"type": "EMIT_EVENT", "config": map[string]any{"name": "invoice.sent", "data": map[string]any{}}})
	mk("contact", map[string]any{"type": "UPDATE_CONTACT", "config": map[string]any{"set": map[string]any{"name": "x"}}})
	q := `query($id: ID!) { node(id: $id) { ... on Webhook { flowCount flows(first: 10) { edges { node { id name } } } } } }`
	o := get(ta.ok(t, ta.key, q, map[string]any{"id": out}), "node")
	edges := get(o, "flows.edges").([]any)
	if get(o, "flowCount") != 1.0 || len(edges) != 1 || str(edges[0], "node.id") != paid {
		t.Fatalf("outbound flows: %v", o)
	}
	i := get(ta.ok(t, ta.key, q, map[string]any{"id": in.id}), "node")
	if get(i, "flowCount") != 3.0 || len(get(i, "flows.edges").([]any)) != 3 {
		t.Fatalf("inbound flows: %v", i)
	}
}
