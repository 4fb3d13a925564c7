package app

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wexio/webhooks/internal/db/dbtest"
	"github.com/wexio/webhooks/internal/testkit"
)

// procGQL runs one GraphQL operation against a server process.
func procGQL(p *process, apiKey, query string, vars map[string]any) (map[string]any, error) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, p.base+"/query", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+apiKey)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	var r struct {
		Data   map[string]any
		Errors []any
	}
	if err := json.NewDecoder(res.Body).Decode(&r); err != nil || len(r.Errors) > 0 {
		return nil, fmt.Errorf("%d %v %v", res.StatusCode, err, r.Errors)
	}
	return r.Data, nil
}

// recorded is a receiver that records the contact name of each
// contact.created event it gets, and the type of every event.
type recorded struct {
	*httptest.Server
	mu     sync.Mutex
	names  []string
	types  []string
	answer func(name string, n int) int // status for the n-th request of name
	seen   map[string]int
}

func newRecorded(t *testing.T, answer func(name string, n int) int) *recorded {
	r := &recorded{answer: answer, seen: map[string]int{}}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		var env struct {
			Type string `json:"type"`
			Data struct {
				Name string `json:"name"`
			} `json:"data"`
		}
		_ = json.NewDecoder(req.Body).Decode(&env)
		r.mu.Lock()
		r.types = append(r.types, env.Type)
		r.names = append(r.names, env.Data.Name)
		r.seen[env.Data.Name]++
		n := r.seen[env.Data.Name]
		r.mu.Unlock()
		if r.answer != nil {
			w.WriteHeader(r.answer(env.Data.Name, n))
		}
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *recorded) got() (names, types []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.names), slices.Clone(r.types)
}

// TestKillDuringFailingAndOrderedLosesNothing: a server is killed
// (SIGKILL) while one outbound webhook is FAILING with its deliveries held
// and an ordered one is waiting on a retry. The restarted server finds
// them as they were: the FAILING one still holds its deliveries, and once
// its receiver answers and it is resumed they all arrive; the ordered one
// delivers every event in order.
func TestKillDuringFailingAndOrderedLosesNothing(t *testing.T) {
	t.Parallel()
	var healthy atomic.Bool
	failing := newRecorded(t, func(string, int) int {
		if healthy.Load() {
			return http.StatusOK
		}
		return http.StatusInternalServerError
	})
	ordered := newRecorded(t, func(name string, n int) int {
		if name == "c03" && n == 1 {
			return http.StatusServiceUnavailable // once: the later ones wait for its retry
		}
		return http.StatusOK
	})
	alerts := newRecorded(t, nil)
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	apiKey := "wx_" + strings.Repeat("k", 40)
	env := []string{"WEXIO_DATABASE_URL=" + dbtest.URL(t),
		"WEXIO_SECRET_KEY=" + base64.StdEncoding.EncodeToString(key), "WEXIO_API_KEY=" + apiKey,
		"WEXIO_ALLOW_PRIVATE_NETWORKS=true", "WEXIO_OUTBOUND_BACKOFF_BASE=3s", "WEXIO_OUTBOUND_BACKOFF_FACTOR=1"}
	p := startProcess(t, env)
	create := func(name, url string, events []string, extra map[string]any) string {
		in := map[string]any{"name": name, "url": url, "events": events, "auth": map[string]any{"mode": "NONE"}}
		for k, v := range extra {
			in[k] = v
		}
		d, err := procGQL(p, apiKey, createOutbound, map[string]any{"in": in})
		if err != nil {
			t.Fatal(err)
		}
		return str(d, "createOutboundWebhook.webhook.id")
	}
	fid := create("failing", failing.URL, []string{"contact.created"}, map[string]any{"maxConcurrency": 32})
	create("ordered", ordered.URL, []string{"contact.created"}, map[string]any{"ordered": true})
	create("alerts", alerts.URL, []string{"webhook.*"}, nil)
	var want []string
	for i := range 25 {
		name := fmt.Sprintf("c%02d", i)
		want = append(want, name)
		if _, err := procGQL(p, apiKey, `mutation($n: String!) { createContact(input: {name: $n}) { id } }`, map[string]any{"n": name}); err != nil {
			t.Fatal(err)
		}
	}
	const health = `query($id: ID!) { node(id: $id) { ... on Webhook { status outbound { health { state consecutiveFailures heldDeliveries } } } } }`
	state := func(p *process) (string, int) {
		d, err := procGQL(p, apiKey, health, map[string]any{"id": fid})
		if err != nil {
			return err.Error(), 0
		}
		h := get(d, "node.outbound.health")
		return str(h, "state"), int(get(h, "heldDeliveries").(float64))
	}
	testkit.Eventually(t, "the failing webhook FAILING", func() bool { s, _ := state(p); return s == "FAILING" })
	testkit.Eventually(t, "the ordered webhook waiting on c03's retry", func() bool {
		names, _ := ordered.got()
		return slices.Contains(names, "c03")
	})

	if err := p.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = p.cmd.Wait()
	p = startProcess(t, env)
	s, held := state(p)
	// The 20 that failed at least are held; the rest may have been in
	// flight at the kill or failed since (held too), or be the probe.
	if s != "FAILING" || held < 20 {
		d, _ := procGQL(p, apiKey, `{ events(first: 30) { edges { node { data deliveries { webhook { name } status attempts } } } } }`, nil)
		t.Fatalf("after the kill the failing webhook is %s holding %d, want FAILING holding its deliveries: %v", s, held, d)
	}
	if held < 24 {
		// Seen once under -race on PostgreSQL with the whole suite running:
		// which deliveries were not held is worth knowing.
		d, _ := procGQL(p, apiKey, `{ events(first: 30) { edges { node { data deliveries { webhook { name } status attempts } } } } }`, nil)
		t.Logf("FAILING holding %d of 25: %v", held, d)
	}
	before, _ := failing.got()
	if len(before) < 20 || len(before) > 25 {
		t.Fatalf("the failing receiver got %d requests before it was FAILING, want 20 to 25", len(before))
	}
	healthy.Store(true)
	for _, st := range []string{"PAUSED", "ACTIVE"} { // resuming a FAILING webhook probes it now
		if _, err := procGQL(p, apiKey, `mutation($id: ID!, $s: WebhookStatus!) { setWebhookStatus(id: $id, status: $s) { id } }`,
			map[string]any{"id": fid, "s": st}); err != nil {
			t.Fatal(err)
		}
	}
	// On PostgreSQL the dead server's leases are taken over once its
	// heartbeat is a minute old; SQLite's restart drops them at once. The
	// webhook.failing alert may be among them: leased, not yet sent, when
	// the server was killed.
	alerted := func() bool {
		_, types := alerts.got()
		return slices.Contains(types, "webhook.failing") && slices.Contains(types, "webhook.recovered")
	}
	for deadline := time.Now().Add(90 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		names, _ := failing.got()
		onames, _ := ordered.got()
		if distinct(names) == 25 && distinct(onames) == 25 && alerted() {
			break
		}
		if time.Now().After(deadline) {
			_, types := alerts.got()
			t.Fatalf("after the restart: %d distinct events at the healed receiver, %d at the ordered, want 25 each; alerts %v",
				distinct(names), distinct(onames), types)
		}
	}
	if s, held := state(p); s != "HEALTHY" || held != 0 {
		t.Fatalf("after recovery: %s holding %d", s, held)
	}
	onames, _ := ordered.got()
	if got := slices.Compact(onames); !slices.Equal(got, want) {
		t.Fatalf("the ordered receiver got %v, want each in order (a retry right after its failure)", onames)
	}
}

func distinct(s []string) int {
	m := map[string]bool{}
	for _, v := range s {
		m[v] = true
	}
	return len(m)
}
