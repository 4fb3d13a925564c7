package app

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/wexio/webhooks/graph"
)

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
