package app

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent/flowrun"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/gctune"
)

// BenchmarkFlowPath measures the whole flow path: signed inbound requests
// answered 202, each starting a three-step run (EMIT_EVENT, UPDATE_CONTACT,
// SEND_MESSAGE) that must reach SUCCEEDED with its outbound deliveries
// created. The outbound webhook is PAUSED so deliveries are written and held:
// the figure is the platform's, not a receiver's.
//
//	go test -run '^$' -bench FlowPath -benchtime 5000x .
func BenchmarkFlowPath(b *testing.B) {
	defer debug.SetGCPercent(gctune.Apply(os.LookupEnv)) // as main does, for this benchmark only
	ta := newTestApp(b)
	out := ta.ok(b, ta.key, createOutbound, map[string]any{"in": map[string]any{
		"name": "sink", "url": "https://receiver.example.com/hook", "events": []string{"*"}}})
	ta.ok(b, ta.key, `mutation($id: ID!) { setWebhookStatus(id: $id, status: PAUSED) { id } }`,
		map[string]any{"id": str(out, "createOutboundWebhook.webhook.id")})
	h := ta.createIn(b, ta.key, map[string]any{"name": "orders",
		"contactResolution": map[string]any{"match": "EMAIL", "path": "customer.email", "createIfMissing": true}})
	ta.ok(b, ta.key, createFlow, map[string]any{"in": map[string]any{"name": "paid",
		"trigger": map[string]any{"type": "WEBHOOK_RECEIVED", "webhookId": h.id},
		"steps": []any{
			map[string]any{"type": "EMIT_EVENT", "config": map[string]any{"name": "order.paid", "data": map[string]any{"total": "{{payload.total}}"}}},
			map[string]any{"type": "UPDATE_CONTACT", "config": map[string]any{"set": map[string]any{"name": "{{payload.customer.name}}"}}},
			map[string]any{"type": "SEND_MESSAGE", "config": map[string]any{"channel": "sms", "text": "Thanks {{contact.name}}"}},
		}}})
	b.ResetTimer()
	start := time.Now()
	sendAll(b, ta, h, b.N)
	accepted := time.Since(start)
	ctx := auth.System(context.Background())
	deadline := start.Add(time.Duration(b.N) * time.Millisecond * 10) // 100 runs/s at the least
	for {
		n, err := ta.db.Read.FlowRun.Query().Where(flowrun.StatusEQ(schematype.RunSucceeded)).Count(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if n >= b.N {
			break
		}
		if time.Now().After(deadline) {
			b.Fatalf("%d of %d runs SUCCEEDED by the deadline", n, b.N)
		}
		time.Sleep(25 * time.Millisecond) // polling must not steal the CPU it measures
	}
	b.StopTimer()
	// Each run emitted flow.paid and message.outbound.created: two held
	// deliveries to the paused webhook, at the least.
	if n := ta.db.Read.Delivery.Query().CountX(ctx); n < 2*b.N {
		b.Fatalf("%d deliveries for %d runs, want at least %d", n, b.N, 2*b.N)
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "runs/s")
	b.ReportMetric(float64(b.N)/accepted.Seconds(), "accepted/s")
}

// sendAll posts n requests from 64 goroutines, 100 distinct customers.
func sendAll(b *testing.B, ta *testApp, h inHook, n int) {
	var next atomic.Int64
	var wg sync.WaitGroup
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := next.Add(1); i <= int64(n); i = next.Add(1) {
				body := fmt.Sprintf(`{"total":%d.5,"customer":{"email":"c%d@example.com","name":"C%d"}}`, i, i%100, i%100)
				req, _ := http.NewRequest(http.MethodPost, ta.srv.URL+h.path, bytes.NewReader([]byte(body)))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-Webhook-Secret", h.secret)
				res, err := client.Do(req)
				if err != nil || res.StatusCode != http.StatusAccepted {
					b.Errorf("inbound: %v %v", err, res)
					return
				}
				res.Body.Close()
			}
		}()
	}
	wg.Wait()
}
