package app

import (
	"context"
	"strings"
	"testing"

	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/internal/auth"
)

// The plaintext of a secret is returned once and then appears nowhere: not in
// any query result, not in the database file.
func TestSecretsAreNeverReadBack(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	secrets := []string{
		str(ta.ok(t, ta.key, createInbound, map[string]any{"in": map[string]any{"name": "gen"}}), "createInboundWebhook.secret"),
		str(ta.ok(t, ta.key, createOutbound, map[string]any{"in": map[string]any{
			"name": "o", "url": "https://example.com/h", "events": []any{"*"}}}), "createOutboundWebhook.secret"),
		"whsec_provided_stripe_secret_value",
		"bearer-token-plaintext-value",
	}
	ta.ok(t, ta.key, createInbound, map[string]any{"in": map[string]any{"name": "stripe",
		"auth": map[string]any{"mode": "STRIPE", "secret": secrets[2]}}})
	b := str(ta.ok(t, ta.key, createOutbound, map[string]any{"in": map[string]any{"name": "b", "url": "https://example.com/b",
		"events": []any{"*"}, "auth": map[string]any{"mode": "BEARER", "token": secrets[3]},
		"headers": map[string]any{"X-Api-Key": "static-api-key-plaintext", "X-Team": "blue"}}}), "createOutboundWebhook.webhook.id")
	secrets = append(secrets, "static-api-key-plaintext")
	// Read back as [redacted], and sent back so, the header keeps its
	// value. So does any header but the harmless ones, whatever its name.
	d := ta.ok(t, ta.key, `mutation($id: ID!, $h: JSON) { updateWebhook(id: $id, input: {headers: $h}) { outbound { headers } } }`,
		map[string]any{"id": b, "h": map[string]any{"X-Api-Key": "[redacted]", "X-Team": "red", "Accept": "application/json"}})
	if h := get(d, "updateWebhook.outbound.headers"); str(h, "X-Api-Key") != "[redacted]" || str(h, "X-Team") != "[redacted]" ||
		str(h, "Accept") != "application/json" {
		t.Fatalf("headers read back: %v", h)
	}
	w := ta.db.Read.Webhook.GetX(auth.System(context.Background()), pulid.ID(b))
	if h, err := ta.hooks.Headers(w); err != nil || h["X-Api-Key"] != "static-api-key-plaintext" || h["X-Team"] != "red" {
		t.Fatalf("header kept through the round trip: %v, %v", h, err)
	}
	id := str(ta.ok(t, ta.key, `{webhooks(first: 1, where: {nameContains: "gen"}) { edges { node { id } } } }`, nil), "webhooks.edges.0.node.id")
	rotated := str(ta.ok(t, ta.key, `mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }`, map[string]any{"id": id}), "rotateWebhookSecret.secret")
	secrets = append(secrets, rotated)

	all := ta.gql(t, ta.key, `{ webhooks(first: 50) { edges { node { `+webhookFields+` } } } }`, nil)
	if len(all.Errors) > 0 {
		t.Fatal(all.Raw)
	}
	files := ta.storedBytes(t)
	for i, s := range secrets {
		if s == "" {
			t.Fatalf("secret %d is empty", i)
		}
		if strings.Contains(all.Raw, s) {
			t.Errorf("secret %d appears in a query result", i)
		}
		if strings.Contains(string(files), s) {
			t.Errorf("secret %d appears in the database file", i)
		}
	}
	// The API key is stored as a hash only.
	if strings.Contains(string(files), ta.key) {
		t.Error("the API key appears in the database file")
	}
}
