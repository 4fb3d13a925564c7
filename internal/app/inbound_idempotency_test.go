package app

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// A repeated key replays the first answer with Idempotent-Replayed, is
// logged DUPLICATE and starts nothing; the same key with another body is
// 422 idempotency_key_reused, logged REJECTED; keys are per webhook.
func TestInboundIdempotencyReplays(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	h := ta.createIn(t, ta.key, map[string]any{})
	other := ta.createIn(t, ta.key, map[string]any{"name": "other"})
	first := ta.postJSON(t, h, `{"n":1}`, map[string]string{"X-Idempotency-Key": "k-1"})
	again := ta.postJSON(t, h, `{"n":1}`, map[string]string{"Idempotency-Key": "k-1"})
	if first.status != 202 || again.status != 202 || again.body != first.body {
		t.Fatalf("first %d %s, again %d %s", first.status, first.body, again.status, again.body)
	}
	if first.header.Get("Idempotent-Replayed") != "" || again.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("Idempotent-Replayed: first %q again %q", first.header.Get("Idempotent-Replayed"), again.header.Get("Idempotent-Replayed"))
	}
	reused := ta.postJSON(t, h, `{"n":2}`, map[string]string{"X-Idempotency-Key": "k-1"})
	if reused.status != http.StatusUnprocessableEntity || !strings.Contains(reused.body, `"idempotency_key_reused"`) ||
		reused.header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("the key with another body: %d %s", reused.status, reused.body)
	}
	logs := ta.logs(t, ta.key, h.id)
	if len(logs) != 3 || str(logs[0], "outcome") != "REJECTED" || str(logs[1], "outcome") != "DUPLICATE" ||
		str(logs[2], "outcome") != "ACCEPTED" || str(logs[1], "idempotencyKey") != "k-1" ||
		str(logs[0], "request.body") != `{"n":2}` {
		t.Fatalf("logs %v", logs)
	}
	if r := ta.postJSON(t, other, `{}`, map[string]string{"X-Idempotency-Key": "k-1"}); r.header.Get("Idempotent-Replayed") != "" || r.body == first.body {
		t.Fatalf("a key of another webhook replayed: %s", r.body)
	}
	// A refused request does not burn its key: the corrected retry runs.
	if r := ta.send(t, http.MethodPost, h.path, "application/json", []byte(`{}`), map[string]string{"X-Idempotency-Key": "k-2"}); r.status != 401 {
		t.Fatalf("unsigned: %d", r.status)
	}
	if r := ta.postJSON(t, h, `{}`, map[string]string{"X-Idempotency-Key": "k-2"}); r.status != 202 || r.header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("retry after a refusal: %d %v", r.status, r.header)
	}
}

// Twenty identical requests at the same moment: exactly one ACCEPTED, every
// sender gets the same 202 body.
func TestInboundConcurrentDuplicatesAcceptOnce(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	h := ta.createIn(t, ta.key, map[string]any{})
	const n = 20
	replies := make([]reply, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			replies[i] = ta.postJSON(t, h, `{"same":true}`, map[string]string{"X-Idempotency-Key": "burst"})
		}()
	}
	close(start)
	wg.Wait()
	replayed := 0
	for _, r := range replies {
		if r.status != 202 || r.body != replies[0].body {
			t.Fatalf("reply %d %s, want 202 %s", r.status, r.body, replies[0].body)
		}
		if r.header.Get("Idempotent-Replayed") == "true" {
			replayed++
		}
	}
	counts := map[string]int{}
	for _, l := range ta.logs(t, ta.key, h.id) {
		counts[str(l, "outcome")]++
	}
	if counts["ACCEPTED"] != 1 || counts["DUPLICATE"] != n-1 || replayed != n-1 {
		t.Fatalf("outcomes %v, %d replayed; want 1 ACCEPTED and %d DUPLICATE", counts, replayed, n-1)
	}
}

// A provider's own delivery id deduplicates without any idempotency header
// (GitHub's X-GitHub-Delivery here).
func TestInboundProviderDeliveryIDDeduplicates(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	h := ta.createIn(t, ta.key, map[string]any{"auth": map[string]any{"mode": "PRESET", "preset": "github", "secret": "gh"}})
	body := `{"action":"opened"}`
	hdr := map[string]string{"X-GitHub-Delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958",
		"X-Hub-Signature-256": "sha256=" + hmacHex(sha256New, []byte("gh"), body)}
	a := ta.send(t, http.MethodPost, h.path, "application/json", []byte(body), hdr)
	b := ta.send(t, http.MethodPost, h.path, "application/json", []byte(body), hdr)
	if a.status != 202 || b.header.Get("Idempotent-Replayed") != "true" || a.body != b.body {
		t.Fatalf("redelivery: %d %s / %v %s", a.status, a.body, b.header, b.body)
	}
}

// A provider's own delivery or event id deduplicates like an idempotency
// key: the repeat gets the first answer with Idempotent-Replayed: true and is
// logged DUPLICATE; another id is a new delivery.
func TestPresetNativeDeliveryIDsEndToEnd(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	byKey := map[string]peCase{}
	for _, c := range presetCases() {
		if _, ok := byKey[c.key]; !ok {
			byKey[c.key] = c
		}
	}
	// Where the id travels: a header, a JSON field, or (header and json
	// empty) inside what the signer signs (svix-id, webhook-id, Twitch's
	// message id, Mailgun's token).
	rows := []struct{ key, header, json string }{
		{"svix", "", ""},
		{"standard-webhooks", "", ""},
		{"clerk", "", ""},
		{"gitlab-signing", "", ""},
		{"twitch", "", ""},
		{"mailgun", "", ""},
		{"stripe", "", "id"},
		{"slack", "", "event_id"},
		{"paddle", "", "notification_id"},
		{"square", "", "event_id"},
		{"shopify", "X-Shopify-Webhook-Id", ""},
		{"github-legacy", "X-GitHub-Delivery", ""},
		{"jira", "X-Atlassian-Webhook-Identifier", ""},
		{"razorpay", "X-Razorpay-Event-Id", ""},
		{"linear", "Linear-Delivery", ""},
		{"woocommerce", "X-WC-Webhook-Delivery-ID", ""},
	}
	for _, row := range rows {
		t.Run(row.key, func(t *testing.T) {
			t.Parallel()
			c := byKey[row.key]
			h := ta.peCreate(t, c.key, c.secret, nil)
			deliver := func(id string) reply {
				body := peBody("evt_other")
				if row.json != "" {
					body = fmt.Sprintf(`{%q:%q,"note":"x"}`, row.json, id)
				}
				r := c.sign(ta.peIn(h, c.query, body, id, time.Now()))
				if row.header != "" {
					r.header[row.header] = id
				}
				return ta.peSend(t, h, c.query, r)
			}
			id := peID("dlv_")
			first, again := deliver(id), deliver(id)
			if first.status != 202 || again.status != 202 || again.body != first.body ||
				first.header.Get("Idempotent-Replayed") != "" || again.header.Get("Idempotent-Replayed") != "true" {
				t.Fatalf("first %d %s %v; again %d %s %v", first.status, first.body, first.header, again.status, again.body, again.header)
			}
			if other := deliver(peID("dlv_")); other.status != 202 || other.header.Get("Idempotent-Replayed") != "" || other.body == first.body {
				t.Fatalf("another id: %d %s %v", other.status, other.body, other.header)
			}
			logs := ta.logs(t, ta.key, h.id)
			if len(logs) != 3 || str(logs[1], "outcome") != "DUPLICATE" || str(logs[1], "idempotencyKey") != id ||
				str(logs[2], "outcome") != "ACCEPTED" || str(logs[0], "outcome") != "ACCEPTED" {
				t.Fatalf("logs %v", logs)
			}
		})
	}
}

// A key is remembered for the retention window only: once its record is
// older, the same key is a new request again.
func TestInboundIdempotencyExpiresWithRetention(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	h := ta.createIn(t, ta.key, map[string]any{})
	first := ta.postJSON(t, h, `{}`, map[string]string{"X-Idempotency-Key": "old"})
	old := time.Now().Add(-ta.cfg.Retention - time.Hour).UTC()
	ta.exec(t, "UPDATE idempotency_keys SET created_at = ?", old)
	again := ta.postJSON(t, h, `{}`, map[string]string{"X-Idempotency-Key": "old"})
	if again.status != 202 || again.header.Get("Idempotent-Replayed") != "" || again.body == first.body {
		t.Fatalf("an expired key replayed: %d %v %s", again.status, again.header, again.body)
	}
	if r := ta.postJSON(t, h, `{}`, map[string]string{"X-Idempotency-Key": "old"}); r.body != again.body {
		t.Fatalf("the renewed key does not replay: %s", r.body)
	}
}
