package app

import (
	"fmt"
	"strings"
	"testing"
)

func TestCreateInboundWebhook(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	d := ta.ok(t, ta.key, createInbound, map[string]any{"in": map[string]any{
		"name": "Shop", "description": "orders",
		"contactResolution": map[string]any{"match": "EMAIL", "path": "data.customer.email", "createIfMissing": true},
	}})
	p := get(d, "createInboundWebhook")
	secret := str(p, "secret")
	if len(secret) < 32 {
		t.Fatalf("generated secret %q is too short", secret)
	}
	w := get(p, "webhook")
	if str(w, "direction") != "INBOUND" || str(w, "status") != "ACTIVE" || get(w, "outbound") != nil {
		t.Fatalf("webhook = %v", w)
	}
	url := str(w, "inbound.url")
	token, ok := strings.CutPrefix(url, "https://hooks.example.test/in/")
	if !ok || len(token) < 22 || strings.Contains(token, string(get(w, "id").(string))) {
		t.Fatalf("inbound url = %q: want public URL + /in/ + an unguessable token", url)
	}
	if got := str(w, "inbound.auth.mode"); got != "SHARED_SECRET" {
		t.Fatalf("mode = %q", got)
	}
	if got := str(w, "inbound.auth.secretHint"); got != secret[len(secret)-4:] {
		t.Fatalf("secretHint = %q, want the last 4 of the secret", got)
	}
	if get(w, "inbound.auth.toleranceSeconds") != 300.0 || get(w, "schemaVersion") != 0.0 || get(w, "flowCount") != 0.0 {
		t.Fatalf("defaults wrong: %v", w)
	}
	if str(w, "inbound.contactResolution.path") != "data.customer.email" || get(w, "inbound.contactResolution.createIfMissing") != true {
		t.Fatalf("contactResolution = %v", get(w, "inbound.contactResolution"))
	}

	// A provider mode keeps the provider's secret and returns none.
	d = ta.ok(t, ta.key, createInbound, map[string]any{"in": map[string]any{
		"name": "Stripe", "auth": map[string]any{"mode": "STRIPE", "secret": "whsec_test_secret", "toleranceSeconds": 120},
	}})
	if get(d, "createInboundWebhook.secret") != nil {
		t.Fatalf("a provided secret must not be echoed: %v", d)
	}
	if str(d, "createInboundWebhook.webhook.inbound.auth.secretHint") != "cret" || get(d, "createInboundWebhook.webhook.inbound.auth.toleranceSeconds") != 120.0 {
		t.Fatalf("auth = %v", get(d, "createInboundWebhook.webhook.inbound.auth"))
	}

	// Generic HMAC shows its parameters.
	d = ta.ok(t, ta.key, createInbound, map[string]any{"in": map[string]any{
		"name": "Custom", "auth": map[string]any{"mode": "GENERIC_HMAC", "secret": "s3cr3t",
			"hmac": map[string]any{"header": "X-Signature", "algorithm": "SHA512", "encoding": "BASE64", "prefix": "sha512=",
				"timestampHeader": "X-Timestamp", "signedPayload": "{timestamp}.{body}"}},
	}})
	h := get(d, "createInboundWebhook.webhook.inbound.auth.hmac")
	if str(h, "header") != "X-Signature" || str(h, "algorithm") != "SHA512" || str(h, "encoding") != "BASE64" ||
		str(h, "prefix") != "sha512=" || str(h, "timestampHeader") != "X-Timestamp" || str(h, "signedPayload") != "{timestamp}.{body}" {
		t.Fatalf("hmac = %v", h)
	}
}

func TestCreateInboundWebhookRejectsBadInput(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	cases := []struct {
		name string
		in   map[string]any
	}{
		{"empty name", map[string]any{"name": "  "}},
		{"provider mode without secret", map[string]any{"name": "x", "auth": map[string]any{"mode": "STRIPE"}}},
		{"generic hmac without params", map[string]any{"name": "x", "auth": map[string]any{"mode": "GENERIC_HMAC", "secret": "s"}}},
		{"unknown preset", map[string]any{"name": "x", "auth": map[string]any{"mode": "PRESET", "preset": "nope", "secret": "s"}}},
		{"negative tolerance", map[string]any{"name": "x", "auth": map[string]any{"mode": "SLACK", "secret": "s", "toleranceSeconds": -1}}},
		{"bad contact path", map[string]any{"name": "x", "contactResolution": map[string]any{"match": "EMAIL", "path": "a..b"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := ta.gql(t, ta.key, createInbound, map[string]any{"in": tc.in})
			if r.code() != "BAD_USER_INPUT" || get(r.Data, "createInboundWebhook") != nil {
				t.Fatalf("got %s, want BAD_USER_INPUT", r.Raw)
			}
		})
	}
	if n := get(ta.ok(t, ta.key, `{webhooks{totalCount}}`, nil), "webhooks.totalCount"); n != 0.0 {
		t.Fatalf("refused creations left %v webhooks", n)
	}
}

func TestCreateOutboundWebhook(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	d := ta.ok(t, ta.key, createOutbound, map[string]any{"in": map[string]any{
		"name": "CRM", "url": "https://crm.example.com/hooks", "events": []any{"contact.*", "flow.order_paid"},
		"headers": map[string]any{"X-Tenant": "42", "Accept": "application/json"}, "maxRetries": 3, "timeoutSeconds": 10,
	}})
	p := get(d, "createOutboundWebhook")
	if !strings.HasPrefix(str(p, "secret"), "whsec_") {
		t.Fatalf("secret = %q, want a generated whsec_ secret", str(p, "secret"))
	}
	o := get(p, "webhook.outbound")
	if str(o, "url") != "https://crm.example.com/hooks" || str(o, "auth") != "HMAC" || get(o, "maxRetries") != 3.0 ||
		get(o, "timeoutSeconds") != 10.0 || str(o, "headers.X-Tenant") != "[redacted]" || str(o, "headers.Accept") != "application/json" || fmt.Sprint(get(o, "events")) != "[contact.* flow.order_paid]" {
		t.Fatalf("outbound = %v", o)
	}
	if get(p, "webhook.inbound") != nil {
		t.Fatal("an outbound webhook has no inbound settings")
	}
	// Defaults come from the configuration.
	d = ta.ok(t, ta.key, createOutbound, map[string]any{"in": map[string]any{
		"name": "Bearer", "url": "http://crm.example.com/h", "events": []any{"*"},
		"auth": map[string]any{"mode": "BEARER", "token": "tok-123456"},
	}})
	o = get(d, "createOutboundWebhook.webhook.outbound")
	if get(o, "maxRetries") != 5.0 || get(o, "timeoutSeconds") != 15.0 || str(o, "secretHint") != "3456" || get(d, "createOutboundWebhook.secret") != nil {
		t.Fatalf("outbound = %v, secret %v", o, get(d, "createOutboundWebhook.secret"))
	}
}

func TestCreateOutboundWebhookRejectsBadInput(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	base := func(kv ...any) map[string]any {
		in := map[string]any{"name": "x", "url": "https://example.com/h", "events": []any{"contact.created"}}
		for i := 0; i < len(kv); i += 2 {
			in[kv[i].(string)] = kv[i+1]
		}
		return in
	}
	cases := []struct {
		name string
		in   map[string]any
	}{
		{"relative url", base("url", "/hooks")},
		{"ftp url", base("url", "ftp://example.com/x")},
		{"loopback url", base("url", "http://127.0.0.1:9000/h")},
		{"private url", base("url", "http://10.1.2.3/h")},
		{"metadata url", base("url", "http://169.254.169.254/latest")},
		{"no events", base("events", []any{})},
		{"bad pattern", base("events", []any{"contact created"})},
		{"reserved header", base("headers", map[string]any{"webhook-signature": "v1,forged"})},
		{"non-string header", base("headers", map[string]any{"X-A": 1})},
		{"bearer without token", base("auth", map[string]any{"mode": "BEARER"})},
		{"basic without password", base("auth", map[string]any{"mode": "BASIC", "username": "u"})},
		{"bad whsec secret", base("auth", map[string]any{"mode": "HMAC", "secret": "whsec_!!"})},
		{"negative retries", base("maxRetries", -1)},
		{"zero timeout", base("timeoutSeconds", 0)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := ta.gql(t, ta.key, createOutbound, map[string]any{"in": tc.in})
			if r.code() != "BAD_USER_INPUT" {
				t.Fatalf("got %s, want BAD_USER_INPUT", r.Raw)
			}
		})
	}
}
