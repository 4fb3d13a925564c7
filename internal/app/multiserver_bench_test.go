package app

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/db"
	"github.com/wexio/webhooks/internal/db/dbtest"
	"github.com/wexio/webhooks/internal/events"
	"github.com/wexio/webhooks/internal/store"
)

// BenchmarkServers compares one server with two on one PostgreSQL
// database, each a process of its own on this machine, as replicas run:
//
//   - inbound: 64 keep-alive connections spread over the servers post a
//     1 KB JSON body to a SHARED_SECRET webhook for 8 s (req/s, p50, p99);
//   - deliveries: 10,000 events, each with a pending delivery to one
//     signed outbound webhook, committed at once behind the servers' backs;
//     deliveries/s until a local receiver (204) has them all.
//
// On 2 cores two servers only add the overhead of a second process (they
// share the CPU with each other, the load generator and PostgreSQL):
// the figure is what spreading costs, not a speed-up.
//
//	WEXIO_TEST_BACKEND=postgres go test ./internal/app -run '^$' -bench Servers -benchtime 1x
func BenchmarkServers(b *testing.B) {
	if !dbtest.Postgres() {
		b.Skip("several servers share PostgreSQL: run with WEXIO_TEST_BACKEND=postgres and WEXIO_TEST_POSTGRES_URL")
	}
	for _, n := range []int{1, 2} {
		b.Run(fmt.Sprintf("inbound/servers=%d", n), func(b *testing.B) { benchServersInbound(b, n) })
		b.Run(fmt.Sprintf("deliveries/servers=%d", n), func(b *testing.B) { benchServersDeliveries(b, n) })
	}
}

// cluster is n servers on one fresh database, and its URL and API key.
type cluster struct {
	servers []*process
	url     string
	apiKey  string
}

func startCluster(b *testing.B, n int) *cluster {
	b.Helper()
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	c := &cluster{url: dbtest.URL(b), apiKey: "wx_" + strings.Repeat("b", 40)}
	env := []string{"WEXIO_DATABASE_URL=" + c.url, "WEXIO_SECRET_KEY=" + base64.StdEncoding.EncodeToString(key),
		"WEXIO_API_KEY=" + c.apiKey, "WEXIO_ALLOW_PRIVATE_NETWORKS=true", "WEXIO_PUBLIC_URL=http://public.example"}
	for range n {
		c.servers = append(c.servers, startProcess(b, env))
	}
	return c
}

// gql runs a GraphQL operation on the first server.
func (c *cluster) gql(b *testing.B, query string, vars map[string]any) map[string]any {
	b.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, c.servers[0].base+"/query", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.apiKey)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	var r struct {
		Data   map[string]any
		Errors []any
	}
	if err := json.NewDecoder(res.Body).Decode(&r); err != nil || len(r.Errors) > 0 {
		b.Fatalf("%s: %d %v %v", query, res.StatusCode, err, r.Errors)
	}
	return r.Data
}

func benchServersInbound(b *testing.B, n int) {
	c := startCluster(b, n)
	in := c.gql(b, createInbound, map[string]any{"in": map[string]any{"name": "in"}})
	path := strings.TrimPrefix(str(in, "createInboundWebhook.webhook.inbound.url"), "http://public.example")
	secret := str(in, "createInboundWebhook.secret")
	body := bytes.Repeat([]byte(" "), 1024)
	copy(body, `{"type":"order.paid","data":{"id":12345,"amount":4200,"currency":"EUR"}}`)

	const conns, warmup, measured = 64, 2 * time.Second, 8 * time.Second
	var mu sync.Mutex
	var took []time.Duration
	var failed atomic.Int64
	start := time.Now()
	var wg sync.WaitGroup
	for i := range conns {
		target := c.servers[i%n].base + path
		wg.Go(func() {
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
			var mine []time.Duration
			for time.Since(start) < warmup+measured {
				req, _ := http.NewRequest(http.MethodPost, target, bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-Webhook-Secret", secret)
				began := time.Now()
				res, err := client.Do(req)
				if err != nil {
					failed.Add(1)
					continue
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusAccepted {
					failed.Add(1)
				} else if began.Sub(start) >= warmup {
					mine = append(mine, time.Since(began))
				}
			}
			mu.Lock()
			took = append(took, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	if failed.Load() > 0 {
		b.Fatalf("%d requests failed", failed.Load())
	}
	slices.Sort(took)
	q := func(p float64) float64 { return float64(took[int(p*float64(len(took)-1))].Microseconds()) / 1000 }
	b.ReportMetric(float64(len(took))/measured.Seconds(), "req/s")
	b.ReportMetric(q(0.50), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
}

func benchServersDeliveries(b *testing.B, n int) {
	const k = 10_000
	var got sync.Map
	var distinct atomic.Int64
	done := make(chan struct{})
	rc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if _, dup := got.LoadOrStore(r.Header.Get("webhook-id"), true); !dup && distinct.Add(1) == k {
			close(done)
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	b.Cleanup(rc.Close)
	c := startCluster(b, n)
	out := c.gql(b, createOutbound, map[string]any{"in": map[string]any{
		"name": "crm", "url": rc.URL, "events": []string{events.ContactCreated}}})
	hookID := pulid.ID(str(out, "createOutboundWebhook.webhook.id"))

	// The events and deliveries are committed by a store of this process,
	// whose commit wakes the servers as theirs would (NOTIFY).
	ctx, cancel := context.WithTimeout(auth.System(context.Background()), time.Minute)
	defer cancel()
	st, err := db.Open(ctx, c.url, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = st.Close() })
	hook, err := st.Read.Webhook.Get(ctx, hookID)
	if err != nil {
		b.Fatal(err)
	}
	tx, err := st.Write.Tx(ctx)
	if err != nil {
		b.Fatal(err)
	}
	data := []byte(`{"id":"ct_1","name":"Ada Lovelace","email":"ada@example.com","phone":"+441234567890"}`)
	for made := 0; made < k; made += 500 {
		evs := make([]*ent.EventCreate, 500)
		for i := range evs {
			evs[i] = tx.Event.Create().SetWorkspaceID(hook.WorkspaceID).SetType(events.ContactCreated).
				SetOccurredAt(time.Now()).SetData(data)
		}
		saved, err := tx.Event.CreateBulk(evs...).Save(ctx)
		if err != nil {
			b.Fatal(err)
		}
		dls := make([]*ent.DeliveryCreate, len(saved))
		for i, ev := range saved {
			dls[i] = tx.Delivery.Create().SetWorkspaceID(hook.WorkspaceID).SetEventID(ev.ID).
				SetWebhookID(hook.ID).SetNextAttemptAt(time.Now())
		}
		if err := tx.Delivery.CreateBulk(dls...).Exec(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(5 * time.Minute):
		b.Fatalf("%d of %d deliveries arrived in 5 minutes", distinct.Load(), k)
	}
	b.StopTimer()
	b.ReportMetric(float64(k)/b.Elapsed().Seconds(), "deliveries/s")
}
