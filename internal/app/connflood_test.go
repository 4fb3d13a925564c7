package app

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/wexio/webhooks/internal/config"
	"github.com/wexio/webhooks/internal/testkit"
)

// TestIdleConnectionFloodLeavesTheServerAnswering: twice
// WEXIO_MAX_CONNECTIONS in idle sockets, half never sending a byte and half
// idle after one keep-alive request, cost the server no more than the cap in
// open connections (the longest waiting are closed for the newcomers), and
// /readyz and an inbound POST on fresh connections still answer at once.
func TestIdleConnectionFloodLeavesTheServerAnswering(t *testing.T) {
	t.Parallel()
	const maxConns = 200
	// The contract says 100 ms; a newcomer left in the accept backlog
	// waits a second or more (the SYN retransmit, net/http's accept
	// backoff), so this bound tells the two apart without being flaky on
	// a busy machine.
	const bound = time.Second
	s := serveApp(t, func(c *config.Config) { c.MaxConnections = maxConns })
	hookPath, secret := createFloodHook(t, s)
	conns := s.conns.Load()

	flood := make([]net.Conn, 2*maxConns)
	t.Cleanup(func() {
		for _, c := range flood {
			if c != nil {
				_ = c.Close()
			}
		}
	})
	for i := range flood {
		c, err := net.Dial("tcp", s.addr)
		if err != nil {
			t.Fatalf("flood connection %d: %v", i, err)
		}
		flood[i] = c
		// The last is a keep-alive one: its answer means the server has
		// accepted every connection before it.
		if i%2 == 1 {
			if err := testkit.KeepAliveGet(c, "/healthz", 10*time.Second); err != nil {
				t.Fatalf("flood connection %d, GET /healthz: %v", i, err)
			}
		}
	}

	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}
	t.Cleanup(client.CloseIdleConnections)
	timed := func(what string, req func() (*http.Response, error), want int) {
		t.Helper()
		for range 5 {
			start := time.Now()
			res, err := req()
			took := time.Since(start)
			if err != nil {
				t.Fatalf("%s with %d idle connections open: %v", what, len(flood), err)
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != want || took > bound {
				t.Fatalf("%s with %d idle connections: %d in %v, want %d well within %v "+
					"(a slow answer means the newcomer waited behind idle sockets)", what, len(flood), res.StatusCode, took, want, bound)
			}
			t.Logf("%s: %d in %v", what, res.StatusCode, took)
		}
	}
	timed("GET /readyz", func() (*http.Response, error) { return client.Get("http://" + s.addr + "/readyz") }, http.StatusOK)
	timed("POST "+hookPath, func() (*http.Response, error) {
		req, _ := http.NewRequest(http.MethodPost, "http://"+s.addr+hookPath, strings.NewReader(`{"flood":true}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Webhook-Secret", secret)
		return client.Do(req)
	}, http.StatusAccepted)

	if peak, open := conns.Peak(), conns.Open(); peak > maxConns || open > maxConns {
		t.Fatalf("the server held %d connections open at most (%d now), want at most the cap %d", peak, open, maxConns)
	}
	closed := testkit.ClosedByServer(200*time.Millisecond, flood...)
	n := 0
	for _, c := range closed {
		if c {
			n++
		}
	}
	if n < len(flood)-maxConns || !closed[0] || closed[len(flood)-1] {
		t.Fatalf("the server closed %d of the %d flood sockets (first %v, last %v), want at least %d, the oldest first",
			n, len(flood), closed[0], closed[len(flood)-1], len(flood)-maxConns)
	}
	if conns.Shed() < uint64(len(flood)-maxConns) {
		t.Fatalf("shed %d, want at least %d", conns.Shed(), len(flood)-maxConns)
	}
	res, err := client.Get("http://" + s.addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	text, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if open := sample(string(text), "wexio_http_connections_open"); open < 1 || open > maxConns {
		t.Fatalf("wexio_http_connections_open = %v, want 1..%d", open, maxConns)
	}
	if shed := sample(string(text), "wexio_http_connections_shed_total"); shed < float64(len(flood)-maxConns) {
		t.Fatalf("wexio_http_connections_shed_total = %v, want at least %d", shed, len(flood)-maxConns)
	}
}

// createFloodHook creates a SHARED_SECRET inbound webhook through the API
// and returns its path on the server and its secret.
func createFloodHook(t *testing.T, s *served) (path, secret string) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": createInbound, "variables": map[string]any{"in": map[string]any{"name": "flood"}}})
	status, raw, _ := strings.Cut(postQuery(t, "http://"+s.addr+"/query", s.key, string(body)), " ")
	var v map[string]any
	if err := json.Unmarshal([]byte(raw), &v); status != "200" || err != nil {
		t.Fatalf("creating the inbound webhook: %s %s", status, raw)
	}
	url, secret := str(v, "data.createInboundWebhook.webhook.inbound.url"), str(v, "data.createInboundWebhook.secret")
	if url == "" || secret == "" {
		t.Fatalf("creating the inbound webhook: %s", raw)
	}
	return strings.TrimPrefix(url, s.cfg.PublicURL), secret
}
