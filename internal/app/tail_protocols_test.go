package app

import (
	"strings"
	"testing"

	"github.com/wexio/webhooks/internal/testkit"
)

// Both protocols stream new log rows after their commit, scoped to the
// subscriber's workspace and filter.
func TestLiveTailOverBothProtocols(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	h := ta.createIn(t, ta.key, map[string]any{})
	otherKey := ta.newWorkspace(t, "other")
	other := ta.createIn(t, otherKey, map[string]any{})
	for i, proto := range []string{"graphql-transport-ws", "graphql-ws"} {
		c := ta.dialWS(t, proto, ta.key)
		if ack := c.expect("connection_ack"); strings.Contains(string(ack.Payload), ta.key) {
			t.Fatalf("%s: connection_ack echoes the API key: %s", proto, ack.Payload)
		}
		c.subscribe("1", tailQuery, map[string]any{"d": "INBOUND"})
		spy := ta.dialWS(t, proto, otherKey)
		spy.expect("connection_ack")
		spy.subscribe("1", tailQuery, nil)
		testkit.Eventually(t, "both new subscriptions", func() bool { return ta.tail.Len() == 2*(i+1) }) // both new subscriptions registered
		r := ta.postJSON(t, h, `{"proto":"`+proto+`"}`, nil)
		var accepted struct{ ID string }
		decode(t, strings.NewReader(r.body), &accepted)
		m := c.expect(map[bool]string{true: "data", false: "next"}[c.legacy])
		if !strings.Contains(string(m.Payload), accepted.ID) || !strings.Contains(string(m.Payload), h.id) {
			t.Fatalf("%s: frame %s, want log %s", proto, m.Payload, accepted.ID)
		}
		// The other workspace's subscriber sees only its own rows.
		ta.postJSON(t, other, `{}`, nil)
		m = spy.expect(map[bool]string{true: "data", false: "next"}[spy.legacy])
		if strings.Contains(string(m.Payload), h.id) || !strings.Contains(string(m.Payload), other.id) {
			t.Fatalf("%s: cross-workspace frame %s", proto, m.Payload)
		}
	}
}

// TestSubscriptionOverPlainPOSTIsRefused: a subscription sent as a plain
// POST is answered at once with an error, not held open until an event.
func TestSubscriptionOverPlainPOSTIsRefused(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	r := ta.gql(t, ta.key, `subscription { webhookLogTail { id } }`, nil)
	if r.code() != "BAD_USER_INPUT" || !strings.Contains(r.Raw, "WebSocket") {
		t.Fatalf("subscription over POST: %s", r.Raw)
	}
}
