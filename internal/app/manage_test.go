package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/internal/auth"
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
	// Read back as [redacted], and sent back so, the header keeps its value.
	d := ta.ok(t, ta.key, `mutation($id: ID!, $h: JSON) { updateWebhook(id: $id, input: {headers: $h}) { outbound { headers } } }`,
		map[string]any{"id": b, "h": map[string]any{"X-Api-Key": "[redacted]", "X-Team": "red"}})
	if h := get(d, "updateWebhook.outbound.headers"); str(h, "X-Api-Key") != "[redacted]" || str(h, "X-Team") != "red" {
		t.Fatalf("headers read back: %v", h)
	}
	w := ta.db.Read.Webhook.GetX(auth.System(context.Background()), pulid.ID(b))
	if h, err := ta.hooks.Headers(w); err != nil || h["X-Api-Key"] != "static-api-key-plaintext" {
		t.Fatalf("header kept through the round trip: %v, %v", h, err)
	}
	id := str(ta.ok(t, ta.key, `{webhooks(first: 1, where: {nameContains: "gen"}) { edges { node { id } } } }`, nil), "webhooks.edges.0.node.id")
	rotated := str(ta.ok(t, ta.key, `mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }`, map[string]any{"id": id}), "rotateWebhookSecret.secret")
	secrets = append(secrets, rotated)

	all := ta.gql(t, ta.key, `{ webhooks(first: 50) { edges { node { `+webhookFields+` } } } }`, nil)
	if len(all.Errors) > 0 {
		t.Fatal(all.Raw)
	}
	var files []byte
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(filepath.Join(ta.dir, "wexio.db"+suffix))
		if err != nil && suffix == "" {
			t.Fatal(err)
		}
		files = append(files, b...)
	}
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

func TestRelayPagination(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	var want []string // newest first
	for i := range 7 {
		id := str(ta.ok(t, ta.key, createInbound, map[string]any{"in": map[string]any{"name": fmt.Sprintf("w%d", i)}}), "createInboundWebhook.webhook.id")
		want = append([]string{id}, want...)
	}
	const q = `query($first: Int, $after: Cursor, $last: Int, $before: Cursor) {
		webhooks(first: $first, after: $after, last: $last, before: $before) {
			totalCount edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`
	var got []string
	vars := map[string]any{"first": 3}
	for page := 0; ; page++ {
		c := get(ta.ok(t, ta.key, q, vars), "webhooks")
		if get(c, "totalCount") != 7.0 {
			t.Fatalf("totalCount = %v", get(c, "totalCount"))
		}
		for _, e := range get(c, "edges").([]any) {
			got = append(got, str(e, "node.id"))
		}
		if get(c, "pageInfo.hasNextPage") != true {
			break
		}
		vars = map[string]any{"first": 3, "after": get(c, "pageInfo.endCursor")}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("forwards = %v, want %v", got, want)
	}
	got = nil
	vars = map[string]any{"last": 3}
	for {
		c := get(ta.ok(t, ta.key, q, vars), "webhooks")
		var pageIDs []string
		for _, e := range get(c, "edges").([]any) {
			pageIDs = append(pageIDs, str(e, "node.id"))
		}
		got = append(pageIDs, got...)
		if get(c, "pageInfo.hasPreviousPage") != true {
			break
		}
		vars = map[string]any{"last": 3, "before": get(c, "pageInfo.startCursor")}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("backwards = %v, want %v", got, want)
	}
	// where filters.
	d := ta.ok(t, ta.key, `{ webhooks(where: {nameContains: "w3", direction: INBOUND, status: ACTIVE}) { totalCount } }`, nil)
	if get(d, "webhooks.totalCount") != 1.0 {
		t.Fatalf("filtered = %v", d)
	}
	if r := ta.gql(t, ta.key, `{ webhooks(first: 1000) { totalCount } }`, nil); r.code() != "BAD_USER_INPUT" {
		t.Fatalf("oversized page: %s", r.Raw)
	}
	// Nested pages cost what they may return.
	nested := `{ webhooks(first: 100) { edges { node { logs(first: 100) { edges { node { id } } } } } } }`
	if r := ta.gql(t, ta.key, nested, nil); r.code() != "COMPLEXITY_LIMIT_EXCEEDED" {
		t.Fatalf("nested pages: %s", r.Raw)
	}
	// The largest page is usable with what a dashboard shows of each row.
	full := `{ webhookLogs(first: 500) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node {
		id direction outcome occurredAt statusCode durationMs error idempotencyKey
		request { method url headers body } response { headers body }
		webhook { id name } event { id type } } } } }`
	if r := ta.gql(t, ta.key, full, nil); r.Status != 200 || len(r.Errors) > 0 {
		t.Fatalf("a full page of history: %s", r.Raw)
	}
}
