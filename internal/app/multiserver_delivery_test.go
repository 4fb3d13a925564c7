package app

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent/delivery"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/config"
	"github.com/wexio/webhooks/internal/db/dbtest"
	"github.com/wexio/webhooks/internal/testkit"
)

// twoServers starts two servers on one database, as two replicas behind
// a load balancer run: the same URL and the same secret key.
func twoServers(t testing.TB) (*testApp, *testApp) {
	t.Helper()
	url := dbtest.URL(t)
	var key []byte
	same := func(c *config.Config) {
		c.AllowPrivateNetworks = true
		c.DatabaseURL = url
		if key == nil {
			key = c.SecretKey
		}
		c.SecretKey = key
	}
	a := newTestAppWith(t, same)
	b := newTestAppWith(t, same)
	b.key = a.key // the database's one bootstrap key
	return a, b
}

// TestTwoServersDeliverEachEventOnce: events emitted through both servers
// at once reach the receiver once each, and no delivery is attempted
// twice: both dispatchers claim from one table, never the same row.
func TestTwoServersDeliverEachEventOnce(t *testing.T) {
	t.Parallel()
	a, b := twoServers(t)
	rc := newReceiver(t, func(int) int { return 200 })
	a.ok(t, a.key, createOutbound, map[string]any{"in": map[string]any{
		"name": "crm", "url": rc.URL, "events": []string{"contact.created"}}})
	const n = 120
	var wg sync.WaitGroup
	for i := range n {
		srv := a
		if i%2 == 1 {
			srv = b
		}
		wg.Go(func() {
			srv.ok(t, srv.key, fmt.Sprintf(`mutation { createContact(input: {name: "c%d"}) { id } }`, i), nil)
		})
	}
	wg.Wait()
	got := rc.wait(t, n)
	seen := map[string]int{}
	for _, r := range got {
		seen[r.header.Get("webhook-id")]++
	}
	if len(seen) != n {
		t.Fatalf("%d distinct events reached the receiver, want %d", len(seen), n)
	}
	for id, k := range seen {
		if k != 1 {
			t.Errorf("event %s delivered %d times", id, k)
		}
	}
	ctx := auth.System(t.Context())
	testkit.Eventually(t, "every delivery recorded", func() bool {
		m, err := a.db.Read.Delivery.Query().Where(delivery.StatusEQ(schematype.DeliverySucceeded)).Count(ctx)
		return err == nil && m == n
	})
	dls, err := a.db.Read.Delivery.Query().All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, dl := range dls {
		if dl.Attempts != 1 || dl.Status != schematype.DeliverySucceeded {
			t.Errorf("delivery %s: %d attempts, %s", dl.ID, dl.Attempts, dl.Status)
		}
	}
	if m, _ := a.db.Read.Delivery.Query().Where(delivery.ClaimTokenNotNil()).Count(ctx); m != 0 {
		t.Errorf("%d finished deliveries keep a claim token", m)
	}
	if len(got) != n {
		t.Errorf("%d requests for %d events", len(got), n)
	}
}

// TestLiveTailSpansServers: a subscriber on one server receives, in
// order, the rows of requests another server answered.
func TestLiveTailSpansServers(t *testing.T) {
	t.Parallel()
	a, b := twoServers(t)
	if !a.db.Caps.SharedNotify {
		t.Skip("the live tail spans the servers of a shared database (PostgreSQL); SQLite's is one process's")
	}
	h := a.createIn(t, a.key, map[string]any{"name": "shared"})
	c := b.dialWS(t, "graphql-transport-ws", b.key)
	c.expect("connection_ack")
	c.subscribe("tail", tailQuery, map[string]any{"w": h.id})
	testkit.Eventually(t, "the subscription on the second server", func() bool { return b.tail.Len() == 1 })
	const n = 20
	var sent []string
	for range n {
		var r struct{ ID string }
		if err := json.Unmarshal([]byte(a.postJSON(t, h, `{}`, nil).body), &r); err != nil || r.ID == "" {
			t.Fatalf("no log id: %v", err)
		}
		sent = append(sent, r.ID)
	}
	got := tailIDs(t, c, n)
	if !slices.Equal(got, sent) {
		t.Fatalf("frames on the other server %v, want the rows in order %v", got, sent)
	}
}

// TestLiveTailFollowsCommitOrderAcrossServers: requests to one webhook,
// sent one after the other to two servers in turn, reach a subscriber on
// the first in the order they were committed: its own rows do not
// overtake the other server's (the database announces every row as it
// commits it, to every server alike).
func TestLiveTailFollowsCommitOrderAcrossServers(t *testing.T) {
	t.Parallel()
	a, b := twoServers(t)
	if !a.db.Caps.SharedNotify {
		t.Skip("the live tail spans the servers of a shared database (PostgreSQL); SQLite's is one process's")
	}
	h := a.createIn(t, a.key, map[string]any{"name": "ordered"})
	c := a.dialWS(t, "graphql-transport-ws", a.key)
	c.expect("connection_ack")
	c.subscribe("tail", tailQuery, map[string]any{"w": h.id})
	testkit.Eventually(t, "the subscription", func() bool { return a.tail.Len() == 1 })
	const n = 40
	var sent []string
	for i := range n {
		srv := b // b first: its rows cross servers, a's need not
		if i%2 == 1 {
			srv = a
		}
		var r struct{ ID string }
		if err := json.Unmarshal([]byte(srv.postJSON(t, h, `{}`, nil).body), &r); err != nil || r.ID == "" {
			t.Fatalf("no log id: %v", err)
		}
		sent = append(sent, r.ID)
	}
	got := tailIDs(t, c, n)
	if !slices.Equal(got, sent) {
		t.Fatalf("frames %v, want the commit order %v", got, sent)
	}
}

// tailIDs reads the ids of the next n live-tail frames of c.
func tailIDs(t *testing.T, c *wsClient, n int) []string {
	t.Helper()
	var got []string
	for len(got) < n {
		m := c.next2(t)
		if m.Type != "next" {
			t.Fatalf("frame %s: %s", m.Type, m.Payload)
		}
		var p struct {
			Data struct {
				WebhookLogTail struct{ ID string } `json:"webhookLogTail"`
			} `json:"data"`
		}
		if err := json.Unmarshal(m.Payload, &p); err != nil {
			t.Fatal(err)
		}
		got = append(got, p.Data.WebhookLogTail.ID)
	}
	return got
}

// TestChangeOnOneServerIsInForceOnTheOther: a webhook rotated, then
// paused, through one server is acted on by the other within a second,
// though the other had it cached (CONTRACT §8: configuration is coherent).
func TestChangeOnOneServerIsInForceOnTheOther(t *testing.T) {
	t.Parallel()
	a, b := twoServers(t)
	if !a.db.Caps.SharedNotify {
		t.Skip("caches are told of other servers' changes on a shared database (PostgreSQL); SQLite's expire with their TTL")
	}
	h := a.createIn(t, a.key, map[string]any{})
	if r := b.postJSON(t, h, `{}`, nil); r.status != 202 { // cached on b
		t.Fatalf("before: %d %s", r.status, r.body)
	}
	rotate := `mutation($id: ID!) { rotateWebhookSecret(id: $id, graceSeconds: 0) { secret } }`
	a.ok(t, a.key, rotate, map[string]any{"id": h.id})
	changed := time.Now()
	testkit.Eventually(t, "the old secret refused on the other server", func() bool {
		return b.postJSON(t, h, `{}`, nil).status == http.StatusUnauthorized
	})
	if d := time.Since(changed); d > time.Second {
		t.Errorf("the rotation reached the other server after %s, want within 1 s", d)
	}
	a.ok(t, a.key, `mutation($id: ID!) { setWebhookStatus(id: $id, status: PAUSED) { id } }`, map[string]any{"id": h.id})
	changed = time.Now()
	testkit.Eventually(t, "the pause in force on the other server", func() bool {
		return b.postJSON(t, h, `{}`, nil).status == http.StatusServiceUnavailable
	})
	if d := time.Since(changed); d > time.Second {
		t.Errorf("the pause reached the other server after %s, want within 1 s", d)
	}
}
