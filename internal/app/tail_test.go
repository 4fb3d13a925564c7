package app

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/graph"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/livetail"
	"github.com/wexio/webhooks/internal/testkit"
)

// wsClient speaks either GraphQL WebSocket protocol to the real server.
type wsClient struct {
	t      testing.TB
	conn   *websocket.Conn
	legacy bool // subscriptions-transport-ws ("graphql-ws")
}

type wsMsg struct {
	Type    string          `json:"type"`
	ID      string          `json:"id,omitempty"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

func (ta *testApp) dialWS(t testing.TB, protocol, key string) *wsClient {
	t.Helper()
	d := websocket.Dialer{Subprotocols: []string{protocol}}
	conn, res, err := d.Dial("ws"+strings.TrimPrefix(ta.srv.URL, "http")+"/query", nil)
	if err != nil {
		t.Fatalf("dialing: %v", err)
	}
	res.Body.Close()
	t.Cleanup(func() { conn.Close() })
	c := &wsClient{t: t, conn: conn, legacy: protocol == "graphql-ws"}
	c.send(wsMsg{Type: "connection_init", Payload: json.RawMessage(`{"authorization":"Bearer ` + key + `"}`)})
	return c
}

func (c *wsClient) send(m wsMsg) {
	c.t.Helper()
	if err := c.conn.WriteJSON(m); err != nil {
		c.t.Fatalf("writing: %v", err)
	}
}

// next reads the next message that is not a keep-alive.
func (c *wsClient) next() (wsMsg, error) {
	_ = c.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		var m wsMsg
		if err := c.conn.ReadJSON(&m); err != nil {
			return m, err
		}
		switch m.Type {
		case "ka", "ping", "pong":
			if m.Type == "ping" {
				c.send(wsMsg{Type: "pong"})
			}
			continue
		}
		return m, nil
	}
}

func (c *wsClient) expect(typ string) wsMsg {
	c.t.Helper()
	m, err := c.next()
	if err != nil || m.Type != typ {
		c.t.Fatalf("got %+v (%v), want %s", m, err, typ)
	}
	return m
}

func (c *wsClient) subscribe(id, query string, vars map[string]any) {
	typ := "subscribe"
	if c.legacy {
		typ = "start"
	}
	p, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	c.send(wsMsg{Type: typ, ID: id, Payload: p})
}

const tailQuery = `subscription($w: ID, $d: Direction) { webhookLogTail(webhookId: $w, direction: $d) { id outcome webhook { id } } }`

// Both protocols stream new log rows after their commit, scoped to the
// subscriber's workspace and filter.
func TestLiveTailOverBothProtocols(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	h := ta.createIn(t, ta.key, map[string]any{})
	otherKey := ta.newWorkspace(t, "other")
	other := ta.createIn(t, otherKey, map[string]any{})
	for i, proto := range []string{"graphql-transport-ws", "graphql-ws"} {
		c := ta.dialWS(t, proto, ta.key)
		if ack := c.expect("connection_ack"); strings.Contains(string(ack.Payload), ta.key) {
			t.Fatalf("%s: connection_ack echoes the API key: %s", proto, ack.Payload)
		}
		c.subscribe("1", tailQuery, map[string]any{"d": "INBOUND"})
		spy := ta.dialWS(t, proto, otherKey)
		spy.expect("connection_ack")
		spy.subscribe("1", tailQuery, nil)
		testkit.Eventually(t, "both new subscriptions", func() bool { return ta.tail.Len() == 2*(i+1) }) // both new subscriptions registered
		r := ta.postJSON(t, h, `{"proto":"`+proto+`"}`, nil)
		var accepted struct{ ID string }
		decode(t, strings.NewReader(r.body), &accepted)
		m := c.expect(map[bool]string{true: "data", false: "next"}[c.legacy])
		if !strings.Contains(string(m.Payload), accepted.ID) || !strings.Contains(string(m.Payload), h.id) {
			t.Fatalf("%s: frame %s, want log %s", proto, m.Payload, accepted.ID)
		}
		// The other workspace's subscriber sees only its own rows.
		ta.postJSON(t, other, `{}`, nil)
		m = spy.expect(map[bool]string{true: "data", false: "next"}[spy.legacy])
		if strings.Contains(string(m.Payload), h.id) || !strings.Contains(string(m.Payload), other.id) {
			t.Fatalf("%s: cross-workspace frame %s", proto, m.Payload)
		}
	}
}

// A WebSocket without a valid key in connection_init is closed with 4403.
func TestLiveTailRefusesBadKeys(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	for _, proto := range []string{"graphql-transport-ws", "graphql-ws"} {
		c := ta.dialWS(t, proto, "wx_notakey0000000000000000000000000000000000")
		for {
			m, err := c.next()
			var ce *websocket.CloseError
			if errors.As(err, &ce) {
				if ce.Code != 4403 {
					t.Fatalf("%s: closed with %d %q, want 4403", proto, ce.Code, ce.Text)
				}
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", proto, err)
			}
			if m.Type == "connection_ack" {
				t.Fatalf("%s: a bad key was acknowledged", proto)
			}
		}
	}
	// Without an upgrade the endpoint still wants a key.
	r := ta.send(t, http.MethodGet, "/query?query={viewer{workspace{id}}}", "", nil, nil)
	if r.status != 401 {
		t.Fatalf("GET /query without key: %d", r.status)
	}
}

// A subscriber that falls behind gets one SLOW_SUBSCRIBER error and its
// subscription ends; publishing never waits for it.
func TestLiveTailDropsSlowSubscribers(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	key := ta.newWorkspace(t, "slow")
	c := ta.dialWS(t, "graphql-transport-ws", key)
	c.expect("connection_ack")
	c.subscribe("7", tailQuery, nil)
	deadline := time.Now().Add(5 * time.Second)
	for ta.tail.Len() == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	// A burst of frames far faster than the subscriber is forwarded: each
	// one costs it a read of the row, publishing costs nothing.
	h := ta.createIn(t, key, map[string]any{})
	ta.postJSON(t, h, `{}`, nil)
	for ta.tail.Len() > 0 && time.Now().Before(deadline) {
		row, err := ta.db.Read.WebhookLog.Query().First(auth.System(context.Background()))
		if err != nil {
			t.Fatal(err)
		}
		batch := make([]*ent.WebhookLog, 4*livetail.DefaultBuffer)
		for i := range batch {
			batch[i] = row
		}
		ta.tail.Publish(batch...)
	}
	for {
		m, err := c.next()
		if err != nil {
			t.Fatalf("no SLOW_SUBSCRIBER error: %v", err)
		}
		if m.Type == "next" {
			continue
		}
		if m.Type != "error" || m.ID != "7" || !strings.Contains(string(m.Payload), "SLOW_SUBSCRIBER") {
			t.Fatalf("frame %+v %s", m, m.Payload)
		}
		break
	}
	if ta.tail.Len() != 0 || ta.tail.Drops() != 1 {
		t.Fatalf("subscribers %d, drops %d", ta.tail.Len(), ta.tail.Drops())
	}
}

// A subscription that ends leaves no goroutine behind. Not parallel: it
// counts the process's goroutines.
func TestLiveTailLeavesNoGoroutines(t *testing.T) {
	ta := newTestApp(t)
	h := ta.createIn(t, ta.key, map[string]any{})
	settle := func() int {
		time.Sleep(50 * time.Millisecond)
		return runtime.NumGoroutine()
	}
	before := settle()
	for i := 0; i < 20; i++ {
		c := ta.dialWS(t, []string{"graphql-transport-ws", "graphql-ws"}[i%2], ta.key)
		c.expect("connection_ack")
		c.subscribe("1", tailQuery, map[string]any{"w": h.id})
		if i%4 == 0 {
			c.send(wsMsg{Type: map[bool]string{true: "stop", false: "complete"}[c.legacy], ID: "1"})
		}
		c.conn.Close()
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		now := settle()
		if now <= before && ta.tail.Len() == 0 {
			break
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			n := runtime.Stack(buf, true)
			t.Fatalf("%d goroutines after closing 20 subscriptions, %d before; %d subscribers left\n%s", now, before, ta.tail.Len(), buf[:n])
		}
	}
}

// The tail's filters: webhookId streams that webhook's rows only, direction
// that direction's only, and another workspace's webhook id is NOT_FOUND.
func TestLiveTailFilters(t *testing.T) {
	t.Parallel()
	ta := newOutboundApp(t)
	rc := newReceiver(t, func(int) int { return 200 })
	ta.ok(t, ta.key, createOutbound, map[string]any{"in": map[string]any{
		"name": "o", "url": rc.URL, "events": []string{"*"}, "auth": map[string]any{"mode": "NONE"}}})
	a := ta.createIn(t, ta.key, map[string]any{"name": "a"})
	b := ta.createIn(t, ta.key, map[string]any{"name": "b"})
	foreign := ta.createIn(t, ta.newWorkspace(t, "other"), map[string]any{})

	c := ta.dialWS(t, "graphql-transport-ws", ta.key)
	c.expect("connection_ack")
	c.subscribe("a", tailQuery, map[string]any{"w": a.id})
	c.subscribe("out", `subscription { webhookLogTail(direction: OUTBOUND) { id direction } }`, nil)
	c.subscribe("foreign", tailQuery, map[string]any{"w": foreign.id})
	got := map[string][]string{} // payloads by subscription, in order
	testkit.Eventually(t, "two subscriptions", func() bool { return ta.tail.Len() == 2 })

	ta.postJSON(t, b, `{}`, nil) // neither subscription's
	ta.postJSON(t, a, `{}`, nil)
	ta.ok(t, ta.key, `mutation { createContact(input: {name: "x"}) { id } }`, nil) // one OUTBOUND attempt
	rc.wait(t, 1)
	for len(got["a"]) < 1 || len(got["out"]) < 1 || len(got["foreign"]) < 1 {
		if m := c.next2(t); m.Type == "next" || m.Type == "error" {
			got[m.ID] = append(got[m.ID], string(m.Payload))
		}
	}
	if !strings.Contains(got["a"][0], a.id) || !strings.Contains(got["out"][0], `"OUTBOUND"`) {
		t.Fatalf("frames: %v", got)
	}
	if refused := got["foreign"][0]; !strings.Contains(refused, `"NOT_FOUND"`) || strings.Contains(refused, `"webhookLogTail":{`) {
		t.Fatalf("another workspace's webhook: %s", refused)
	}
}

// next2 is next, failing the test on a read error.
func (c *wsClient) next2(t *testing.T) wsMsg {
	t.Helper()
	m, err := c.next()
	if err != nil {
		t.Fatalf("reading: %v", err)
	}
	return m
}

// TestSocketWithoutInitIsClosed: a WebSocket that never sends
// connection_init (and so never authenticates) is closed after the init
// timeout instead of being held open.
func TestSocketWithoutInitIsClosed(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	h := graph.NewHandler(graph.NewSchema(&graph.Resolver{Read: ta.db.Read, Now: time.Now}), graph.HandlerOptions{
		Log: testLogger(), Write: ta.db.Write, InitFunc: ta.auth.WebsocketInit, KeepAlive: time.Second,
		InitTimeout: 100 * time.Millisecond,
	})
	srv := httptest.NewServer(h)
	defer srv.Close()
	d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}}
	conn, res, err := d.Dial("ws"+strings.TrimPrefix(srv.URL, "http"), nil)
	if err != nil {
		t.Fatalf("dialing: %v", err)
	}
	res.Body.Close()
	defer conn.Close()
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		if _, _, err := conn.ReadMessage(); err != nil {
			var ce *websocket.CloseError
			if !errors.As(err, &ce) || ce.Code != 4408 {
				t.Fatalf("socket without init: %v, want it closed by the server with 4408", err)
			}
			return
		}
	}
}

// TestSubscriptionOverPlainPOSTIsRefused: a subscription sent as a plain
// POST is answered at once with an error, not held open until an event.
func TestSubscriptionOverPlainPOSTIsRefused(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	r := ta.gql(t, ta.key, `subscription { webhookLogTail { id } }`, nil)
	if r.code() != "BAD_USER_INPUT" || !strings.Contains(r.Raw, "WebSocket") {
		t.Fatalf("subscription over POST: %s", r.Raw)
	}
}
