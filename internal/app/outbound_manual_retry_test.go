package app

import (
	"strings"
	"testing"

	"github.com/wexio/webhooks/internal/testkit"
)

// sendTestEvent goes to that webhook alone; a FAILED delivery retried by
// retryDelivery gets exactly one more attempt.
func TestOutboundTestEventAndManualRetry(t *testing.T) {
	t.Parallel()
	ta := newOutboundApp(t)
	rc := newReceiver(t, func(n int) int {
		if n == 1 {
			return 500
		}
		return 204
	})
	other := newReceiver(t, func(int) int { return 200 })
	id := str(ta.ok(t, ta.key, createOutbound, map[string]any{"in": map[string]any{
		"name": "t", "url": rc.URL, "events": []string{"*"}, "maxRetries": 0}}), "createOutboundWebhook.webhook.id")
	ta.ok(t, ta.key, createOutbound, map[string]any{"in": map[string]any{"name": "o", "url": other.URL, "events": []string{"*"}}})
	dlv := str(ta.ok(t, ta.key, `mutation($id: ID!) { sendTestEvent(webhookId: $id) { id status } }`,
		map[string]any{"id": id}), "sendTestEvent.id")
	first := rc.wait(t, 1)[0]
	if !strings.Contains(string(first.body), `"type":"webhook.test"`) {
		t.Fatalf("test event body %s", first.body)
	}
	status := func() string {
		d := ta.ok(t, ta.key, `query($id: ID!) { node(id: $id) { ... on Delivery { status attempts } } }`, map[string]any{"id": dlv})
		return str(d, "node.status")
	}
	testkit.Eventually(t, "the delivery FAILED", func() bool { return status() == "FAILED" })
	ta.ok(t, ta.key, `mutation($id: ID!) { retryDelivery(id: $id) { id } }`, map[string]any{"id": dlv})
	rc.wait(t, 2)
	testkit.Eventually(t, "the delivery SUCCEEDED", func() bool { return status() == "SUCCEEDED" })
	if n := len(other.all()); n != 0 {
		t.Fatalf("the test event reached another webhook %d times", n)
	}
	// A disabled webhook refuses a retry rather than leaving it due forever.
	ta.ok(t, ta.key, `mutation($id: ID!) { setWebhookStatus(id: $id, status: DISABLED) { id } }`, map[string]any{"id": id})
	r := ta.gql(t, ta.key, `mutation($id: ID!) { retryDelivery(id: $id) { id } }`, map[string]any{"id": dlv})
	if r.code() != "BAD_USER_INPUT" || status() != "SUCCEEDED" {
		t.Fatalf("retry on a disabled webhook: %s, delivery %s", r.code(), status())
	}
}
