package app

import (
	"strings"
	"testing"
)

func TestUpdateStatusRotateDelete(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	p := get(ta.ok(t, ta.key, createInbound, map[string]any{"in": map[string]any{"name": "in"}}), "createInboundWebhook")
	id, first := str(p, "webhook.id"), str(p, "secret")

	d := ta.ok(t, ta.key, `mutation($id: ID!, $in: UpdateWebhookInput!) { updateWebhook(id: $id, input: $in) {
		name description inbound { auth { mode secretHint } contactResolution { match path createIfMissing } } } }`,
		map[string]any{"id": id, "in": map[string]any{"name": "renamed", "description": "d",
			"contactResolution": map[string]any{"match": "PHONE", "path": "from.phone"}}})
	w := get(d, "updateWebhook")
	if str(w, "name") != "renamed" || str(w, "description") != "d" || str(w, "inbound.contactResolution.match") != "PHONE" ||
		get(w, "inbound.contactResolution.createIfMissing") != false || str(w, "inbound.auth.secretHint") != first[len(first)-4:] {
		t.Fatalf("updated = %v", w)
	}
	// Outbound-only fields are refused on an inbound webhook.
	r := ta.gql(t, ta.key, `mutation($id: ID!) { updateWebhook(id: $id, input: {url: "https://x.example"}) { id } }`, map[string]any{"id": id})
	if r.code() != "BAD_USER_INPUT" {
		t.Fatalf("url on inbound: %s", r.Raw)
	}

	for _, s := range []string{"PAUSED", "DISABLED", "ACTIVE"} {
		d := ta.ok(t, ta.key, `mutation($id: ID!, $s: WebhookStatus!) { setWebhookStatus(id: $id, status: $s) { status } }`,
			map[string]any{"id": id, "s": s})
		if got := str(d, "setWebhookStatus.status"); got != s {
			t.Fatalf("status = %q, want %s", got, s)
		}
	}

	d = ta.ok(t, ta.key, `mutation($id: ID!) { rotateWebhookSecret(id: $id, graceSeconds: 60) { secret webhook { inbound { auth { secretHint } } } } }`,
		map[string]any{"id": id})
	second := str(d, "rotateWebhookSecret.secret")
	if second == "" || second == first || str(d, "rotateWebhookSecret.webhook.inbound.auth.secretHint") != second[len(second)-4:] {
		t.Fatalf("rotation = %v", d)
	}
	// Provider modes need the provider's new secret.
	stripe := str(ta.ok(t, ta.key, createInbound, map[string]any{"in": map[string]any{"name": "s",
		"auth": map[string]any{"mode": "STRIPE", "secret": "whsec_one"}}}), "createInboundWebhook.webhook.id")
	if r := ta.gql(t, ta.key, `mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }`, map[string]any{"id": stripe}); r.code() != "BAD_USER_INPUT" {
		t.Fatalf("rotating STRIPE without a secret: %s", r.Raw)
	}
	d = ta.ok(t, ta.key, `mutation($id: ID!) { rotateWebhookSecret(id: $id, secret: "whsec_two") { secret webhook { inbound { auth { secretHint } } } } }`,
		map[string]any{"id": stripe})
	if get(d, "rotateWebhookSecret.secret") != nil || str(d, "rotateWebhookSecret.webhook.inbound.auth.secretHint") != "_two" {
		t.Fatalf("provider rotation = %v", d)
	}
	if r := ta.gql(t, ta.key, `mutation($id: ID!) { rotateWebhookSecret(id: $id, graceSeconds: -5) { secret } }`, map[string]any{"id": id}); r.code() != "BAD_USER_INPUT" {
		t.Fatalf("negative grace: %s", r.Raw)
	}

	d = ta.ok(t, ta.key, `mutation($id: ID!) { deleteWebhook(id: $id) }`, map[string]any{"id": id})
	if str(d, "deleteWebhook") != id {
		t.Fatalf("delete = %v", d)
	}
	if r := ta.gql(t, ta.key, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id}); r.code() != "NOT_FOUND" {
		t.Fatalf("deleted webhook still found: %s", r.Raw)
	}
	if r := ta.gql(t, ta.key, `mutation($id: ID!) { deleteWebhook(id: $id) }`, map[string]any{"id": id}); r.code() != "NOT_FOUND" {
		t.Fatalf("second delete: %s", r.Raw)
	}
}

// TestUpdateRefusesASecretNobodySees: switching an inbound webhook to a
// mode whose secret would be generated (SHARED_SECRET without
// auth.secret) is refused, pointing to rotateWebhookSecret; with the
// secret given, it is done.
func TestUpdateRefusesASecretNobodySees(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	h := ta.createIn(t, ta.key, map[string]any{"auth": map[string]any{"mode": "PADDLE", "secret": "pdl_ntfset_secret"}})
	const update = `mutation($id: ID!, $in: UpdateWebhookInput!) { updateWebhook(id: $id, input: $in) { inbound { auth { mode } } } }`
	r := ta.gql(t, ta.key, update, map[string]any{"id": h.id, "in": map[string]any{"auth": map[string]any{"mode": "SHARED_SECRET"}}})
	if r.code() != "BAD_USER_INPUT" || !strings.Contains(r.Errors[0].Message, "rotateWebhookSecret") {
		t.Fatalf("switching without a secret: %s", r.Raw)
	}
	d := ta.ok(t, ta.key, update, map[string]any{"id": h.id, "in": map[string]any{"auth": map[string]any{"mode": "SHARED_SECRET", "secret": "a-secret-i-know-1234"}}})
	if get(d, "updateWebhook.inbound.auth.mode") != "SHARED_SECRET" {
		t.Fatalf("switching with a secret: %v", d)
	}
	if rep := ta.send(t, "POST", h.path, "application/json", []byte(`{}`), map[string]string{"X-Webhook-Secret": "a-secret-i-know-1234"}); rep.status != 202 {
		t.Fatalf("the secret given: %d %s", rep.status, rep.body)
	}
}
