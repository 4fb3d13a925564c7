package app

import (
	"strings"
	"testing"
	"time"

	"github.com/wexio/webhooks/internal/testkit"
)

const limitsFields = `id status outbound { maxConcurrency rateLimitPerSecond ordered
	health { state since consecutiveFailures lastError heldDeliveries } }`

// TestOutboundLimitsOverGraphQL: maxConcurrency, rateLimitPerSecond and
// ordered are set at creation and by updateWebhook (0 removes the rate
// limit), read back with the webhook's health; bad values and inbound
// webhooks are refused with BAD_USER_INPUT.
func TestOutboundLimitsOverGraphQL(t *testing.T) {
	t.Parallel()
	ta := newOutboundApp(t)
	d := ta.ok(t, ta.key, `mutation($in: CreateOutboundWebhookInput!) { createOutboundWebhook(input: $in) { webhook { `+limitsFields+` } } }`,
		map[string]any{"in": map[string]any{"name": "x", "url": "http://127.0.0.1:1/x", "events": []string{"*"}}})
	w := get(d, "createOutboundWebhook.webhook")
	if get(w, "outbound.maxConcurrency") != 16.0 || get(w, "outbound.rateLimitPerSecond") != nil || get(w, "outbound.ordered") != false ||
		str(w, "outbound.health.state") != "HEALTHY" || get(w, "outbound.health.consecutiveFailures") != 0.0 ||
		get(w, "outbound.health.heldDeliveries") != 0.0 || get(w, "outbound.health.since") != nil {
		t.Fatalf("defaults: %v", get(w, "outbound"))
	}
	id := str(w, "id")
	update := `mutation($id: ID!, $in: UpdateWebhookInput!) { updateWebhook(id: $id, input: $in) { ` + limitsFields + ` } }`
	d = ta.ok(t, ta.key, update, map[string]any{"id": id, "in": map[string]any{"maxConcurrency": 4, "rateLimitPerSecond": 10, "ordered": true}})
	if o := get(d, "updateWebhook.outbound"); get(o, "maxConcurrency") != 4.0 || get(o, "rateLimitPerSecond") != 10.0 || get(o, "ordered") != true {
		t.Fatalf("updated: %v", o)
	}
	d = ta.ok(t, ta.key, update, map[string]any{"id": id, "in": map[string]any{"rateLimitPerSecond": 0}})
	if o := get(d, "updateWebhook.outbound"); get(o, "rateLimitPerSecond") != nil || get(o, "maxConcurrency") != 4.0 {
		t.Fatalf("rate limit removed: %v", o)
	}
	for _, in := range []map[string]any{{"maxConcurrency": 0}, {"maxConcurrency": 257}, {"rateLimitPerSecond": -1}} {
		if r := ta.gql(t, ta.key, update, map[string]any{"id": id, "in": in}); r.code() != "BAD_USER_INPUT" {
			t.Errorf("%v: %s, want BAD_USER_INPUT", in, r.code())
		}
	}
	in := ta.createIn(t, ta.key, map[string]any{})
	if r := ta.gql(t, ta.key, update, map[string]any{"id": in.id, "in": map[string]any{"ordered": true}}); r.code() != "BAD_USER_INPUT" {
		t.Errorf("ordered on an inbound webhook: %s, want BAD_USER_INPUT", r.code())
	}
}

// TestReplayDeliveriesOverGraphQL: replayDeliveries answers how many it
// resent and they arrive again; FAILED is the default; a DISABLED webhook
// refuses, saying to enable it.
func TestReplayDeliveriesOverGraphQL(t *testing.T) {
	t.Parallel()
	ta := newOutboundApp(t)
	rc := newReceiver(t, func(n int) int {
		if n <= 2 {
			return 500 // maxRetries 0: FAILED at once
		}
		return 200
	})
	since := time.Now().UTC().Add(-time.Minute).Format(time.RFC3339Nano)
	id := str(ta.ok(t, ta.key, createOutbound, map[string]any{"in": map[string]any{
		"name": "r", "url": rc.URL, "events": []string{"contact.created"}, "maxRetries": 0}}), "createOutboundWebhook.webhook.id")
	for _, n := range []string{"a", "b", "c"} {
		ta.ok(t, ta.key, `mutation($n: String!) { createContact(input: {name: $n}) { id } }`, map[string]any{"n": n})
	}
	rc.wait(t, 3)
	failed := func() int {
		d := ta.ok(t, ta.key, `query { events(first: 10) { edges { node { deliveries { status } } } } }`, nil)
		n := 0
		for _, e := range get(d, "events.edges").([]any) {
			for _, dl := range get(e, "node.deliveries").([]any) {
				if str(dl, "status") == "FAILED" {
					n++
				}
			}
		}
		return n
	}
	testkit.Eventually(t, "two deliveries FAILED", func() bool { return failed() == 2 })
	replay := `mutation($id: ID!, $since: Time!) { replayDeliveries(webhookId: $id, since: $since) }`
	d := ta.ok(t, ta.key, replay, map[string]any{"id": id, "since": since})
	if n := get(d, "replayDeliveries"); n != 2.0 {
		t.Fatalf("replayDeliveries = %v, want 2", n)
	}
	rc.wait(t, 5)
	testkit.Eventually(t, "no delivery FAILED", func() bool { return failed() == 0 })
	ta.ok(t, ta.key, `mutation($id: ID!) { setWebhookStatus(id: $id, status: DISABLED) { id } }`, map[string]any{"id": id})
	r := ta.gql(t, ta.key, replay, map[string]any{"id": id, "since": since})
	if r.code() != "BAD_USER_INPUT" || !strings.Contains(r.Raw, "enable it") {
		t.Fatalf("replay on a DISABLED webhook: %s %s", r.code(), r.Raw)
	}
}
