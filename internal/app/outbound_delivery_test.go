package app

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/wexio/webhooks/internal/testkit"
)

// A domain change reaches a subscribed receiver as a Standard Webhooks
// request: the envelope, the headers of CONTRACT.md §5 and a signature that
// verifies with the whsec_ secret handed out at creation.
func TestOutboundDeliversSignedEvents(t *testing.T) {
	t.Parallel()
	ta := newOutboundApp(t)
	rc := newReceiver(t, func(int) int { return 200 })
	p := get(ta.ok(t, ta.key, createOutbound, map[string]any{"in": map[string]any{
		"name": "crm", "url": rc.URL + "/hook", "events": []string{"contact.*"},
		"headers": map[string]any{"X-Tenant": "acme"}}}), "createOutboundWebhook")
	secret := str(p, "secret")
	ct := ta.ok(t, ta.key, `mutation { createContact(input: {name: "Ann", email: "Ann@Example.com", attributes: {plan: "pro"}}) { id } }`, nil)
	ctID := str(ct, "createContact.id")
	got := rc.wait(t, 1)[0]
	h := got.header
	var env map[string]any
	if err := json.Unmarshal(got.body, &env); err != nil {
		t.Fatalf("body %s: %v", got.body, err)
	}
	if str(env, "type") != "contact.created" || str(env, "data.id") != ctID || str(env, "data.email") != "ann@example.com" ||
		str(env, "data.attributes.plan") != "pro" || !strings.HasPrefix(str(env, "id"), "evt_") {
		t.Fatalf("envelope %s", got.body)
	}
	if h.Get("webhook-id") != str(env, "id") || h.Get("Content-Type") != "application/json" ||
		!strings.HasPrefix(h.Get("User-Agent"), "wexio-webhooks/") || h.Get("X-Tenant") != "acme" {
		t.Fatalf("headers %v", h)
	}
	key, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(h.Get("webhook-id") + "." + h.Get("webhook-timestamp") + "." + string(got.body)))
	if want := "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil)); h.Get("webhook-signature") != want {
		t.Fatalf("signature %q, want %q", h.Get("webhook-signature"), want)
	}
	// The attempt is a log row and the delivery SUCCEEDED.
	var dl any
	testkit.Eventually(t, "the delivery SUCCEEDED", func() bool {
		// first: 2: each log's request counts 200 (a payload), under
		// each event's deliveries (10) and their logs (10).
		d := ta.ok(t, ta.key, `{ events(first: 2) { edges { node { type deliveries { status attempts logs { outcome statusCode attempt request { headers } } } } } } }`, nil)
		dl = get(d, "events.edges.0.node.deliveries.0")
		return str(dl, "status") == "SUCCEEDED"
	})
	l := get(dl, "logs.0")
	if str(l, "outcome") != "SUCCEEDED" || get(l, "statusCode") != 200.0 || get(l, "attempt") != 1.0 ||
		strings.Contains(mustJSON(l), strings.TrimPrefix(h.Get("webhook-signature"), "v1,")) {
		t.Fatalf("attempt log %v", l)
	}
}
