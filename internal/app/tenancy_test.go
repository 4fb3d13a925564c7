package app

import (
	"testing"
)

// Every operation on another workspace's id behaves like an unknown id and
// changes nothing.
func TestForeignIDsBehaveLikeUnknownIDs(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	keyB := ta.newWorkspace(t, "B")
	in := get(ta.ok(t, ta.key, createInbound, map[string]any{"in": map[string]any{"name": "A-in"}}), "createInboundWebhook.webhook")
	out := get(ta.ok(t, ta.key, createOutbound, map[string]any{"in": map[string]any{
		"name": "A-out", "url": "https://example.com/h", "events": []any{"*"}}}), "createOutboundWebhook.webhook")
	unknown := "wh_01JZZZZZZZZZZZZZZZZZZZZZZZ"

	ops := []struct {
		name, query string
		vars        func(id string) map[string]any
	}{
		{"node", `query($id: ID!) { node(id: $id) { id } }`, nil},
		{"nodes", `query($id: ID!) { nodes(ids: [$id]) { id } }`, nil},
		{"update", `mutation($id: ID!) { updateWebhook(id: $id, input: {name: "hijacked"}) { id } }`, nil},
		{"status", `mutation($id: ID!) { setWebhookStatus(id: $id, status: DISABLED) { id } }`, nil},
		{"rotate", `mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }`, nil},
		{"delete", `mutation($id: ID!) { deleteWebhook(id: $id) }`, nil},
	}
	for _, id := range []string{str(in, "id"), str(out, "id")} {
		for _, op := range ops {
			foreign := ta.gql(t, keyB, op.query, map[string]any{"id": id})
			missing := ta.gql(t, keyB, op.query, map[string]any{"id": unknown})
			if foreign.code() != "NOT_FOUND" || missing.code() != "NOT_FOUND" {
				t.Fatalf("%s: foreign %s / unknown %s, want NOT_FOUND for both", op.name, foreign.Raw, missing.Raw)
			}
			if foreign.Raw != replaceID(missing.Raw, unknown, id) {
				t.Fatalf("%s: a foreign id answers differently from an unknown one:\n%s\n%s", op.name, foreign.Raw, missing.Raw)
			}
		}
	}
	// Workspace B sees none of A's webhooks.
	if n := get(ta.ok(t, keyB, `{webhooks{totalCount edges{node{id}}}}`, nil), "webhooks.totalCount"); n != 0.0 {
		t.Fatalf("workspace B lists %v webhooks", n)
	}
	// Nothing changed in A.
	d := ta.ok(t, ta.key, `query($a: ID!, $b: ID!) { a: node(id: $a) { ... on Webhook { name status inbound { auth { secretHint } } } }
		b: node(id: $b) { ... on Webhook { name status outbound { secretHint } } } }`, map[string]any{"a": str(in, "id"), "b": str(out, "id")})
	if str(d, "a.name") != "A-in" || str(d, "a.status") != "ACTIVE" || str(d, "a.inbound.auth.secretHint") != str(in, "inbound.auth.secretHint") ||
		str(d, "b.name") != "A-out" || str(d, "b.status") != "ACTIVE" || str(d, "b.outbound.secretHint") != str(out, "outbound.secretHint") {
		t.Fatalf("workspace A's webhooks changed: %v", d)
	}
	// The workspace itself is a node only for its own members.
	wsA := str(ta.ok(t, ta.key, `{viewer{workspace{id}}}`, nil), "viewer.workspace.id")
	if r := ta.gql(t, keyB, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": wsA}); r.code() != "NOT_FOUND" {
		t.Fatalf("workspace A visible from B: %s", r.Raw)
	}
}

func replaceID(s, from, to string) string {
	out := []byte{}
	for i := 0; i < len(s); {
		if i+len(from) <= len(s) && s[i:i+len(from)] == from {
			out = append(out, to...)
			i += len(from)
			continue
		}
		out = append(out, s[i])
		i++
	}
	return string(out)
}
