package app

import (
	"context"
	"crypto/sha256"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent/contact"
	"github.com/wexio/webhooks/ent/flowrun"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/ent/webhooklog"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/config"
)

// newServerPair starts two servers on one database, as two processes
// sharing it would run, with the first one's API key.
func newServerPair(t *testing.T) (first, second *testApp) {
	t.Helper()
	var cfg config.Config
	first = newTestAppWith(t, func(c *config.Config) { cfg = *c })
	second = newTestAppWith(t, func(c *config.Config) {
		c.DatabaseURL, c.SecretKey = cfg.DatabaseURL, cfg.SecretKey
	})
	return first, second
}

// TestMultiServerIdempotencyAcceptsOnce: the same key (a sender's key, or a
// provider's event id) reaching two servers at once is accepted by one;
// every other copy, on either server, is a replay of that answer. One
// ACCEPTED log row, one flow run and one contact per key; nothing of the
// losers' work is left behind, and nobody gets a 5xx.
func TestMultiServerIdempotencyAcceptsOnce(t *testing.T) {
	t.Parallel()
	first, second := newServerPair(t)
	resolve := map[string]any{"match": "EMAIL", "path": "email", "createIfMissing": true}
	shared := first.createIn(t, first.key, map[string]any{"name": "shared", "contactResolution": resolve})
	stripe := first.createIn(t, first.key, map[string]any{"name": "stripe", "contactResolution": resolve,
		"auth": map[string]any{"mode": "STRIPE", "secret": "whsec_multi"}})
	for _, h := range []inHook{shared, stripe} {
		first.ok(t, first.key, createFlow, map[string]any{"in": map[string]any{"name": "on " + h.id,
			"trigger": map[string]any{"type": "WEBHOOK_RECEIVED", "webhookId": h.id},
			"steps":   []any{map[string]any{"type": "EMIT_EVENT", "config": map[string]any{"name": "seen"}}}}})
	}

	const keys, copies = 20, 1 // copies of each key per server
	// send posts copy of key k to ta: even keys as X-Idempotency-Key, odd
	// ones as a Stripe event id, which deduplicates the same way.
	send := func(ta *testApp, k int) reply {
		body := fmt.Sprintf(`{"id":"evt_%d","email":"k%d@example.com"}`, k, k)
		if k%2 == 0 {
			return ta.postJSON(t, shared, body, map[string]string{"X-Idempotency-Key": fmt.Sprint("key-", k)})
		}
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		sig := "t=" + ts + ",v1=" + hmacHex(sha256.New, []byte("whsec_multi"), ts+"."+body)
		return ta.send(t, http.MethodPost, stripe.path, "application/json", []byte(body), map[string]string{"Stripe-Signature": sig})
	}
	replies := make([][]reply, keys)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for k := range keys {
		replies[k] = make([]reply, 2*copies)
		for i := range 2 * copies {
			ta := []*testApp{first, second}[i%2]
			wg.Go(func() { <-start; replies[k][i] = send(ta, k) })
		}
	}
	close(start)
	wg.Wait()

	ctx := auth.System(context.Background())
	read := first.db.Read
	for k, rs := range replies {
		accepted := 0
		for _, r := range rs {
			if r.status != http.StatusAccepted || r.body != rs[0].body {
				t.Fatalf("key %d: %d %s, want 202 %s", k, r.status, r.body, rs[0].body)
			}
			if r.header.Get("Idempotent-Replayed") != "true" {
				accepted++
			}
		}
		if accepted != 1 {
			t.Fatalf("key %d: %d answers not replays, want 1", k, accepted)
		}
		key := fmt.Sprint("key-", k)
		if k%2 == 1 {
			key = fmt.Sprint("evt_", k)
		}
		rows, err := read.WebhookLog.Query().Where(webhooklog.IdempotencyKey(key)).All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		outcomes := map[schematype.LogOutcome]int{}
		for _, l := range rows {
			outcomes[l.Outcome]++
			if l.Outcome != schematype.OutcomeAccepted {
				continue
			}
			if want := fmt.Sprintf(`{"id":"%s","status":"accepted"}`, l.ID); rs[0].body != want {
				t.Fatalf("key %d: answered %s, but the ACCEPTED row is %s", k, rs[0].body, l.ID)
			}
			if n, err := read.FlowRun.Query().Where(flowrun.LogID(l.ID)).Count(ctx); err != nil || n != 1 {
				t.Fatalf("key %d: %d flow runs (%v), want 1", k, n, err)
			}
		}
		if outcomes[schematype.OutcomeAccepted] != 1 || outcomes[schematype.OutcomeDuplicate] != 2*copies-1 || len(rows) != 2*copies {
			t.Fatalf("key %d: log outcomes %v, want 1 ACCEPTED and %d DUPLICATE", k, outcomes, 2*copies-1)
		}
	}
	// What a losing copy wrote before it lost went with its savepoint.
	if n, err := read.FlowRun.Query().Count(ctx); err != nil || n != keys {
		t.Fatalf("%d flow runs (%v), want %d", n, err, keys)
	}
	if n, err := read.Contact.Query().Where(contact.EmailHasSuffix("@example.com")).Count(ctx); err != nil || n != keys {
		t.Fatalf("%d contacts (%v), want %d", n, err, keys)
	}
	if n, err := read.IdempotencyKey.Query().Count(ctx); err != nil || n != keys {
		t.Fatalf("%d idempotency records (%v), want %d", n, err, keys)
	}
}
