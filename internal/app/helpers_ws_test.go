package app

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
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

// next2 is next, failing the test on a read error.
func (c *wsClient) next2(t *testing.T) wsMsg {
	t.Helper()
	m, err := c.next()
	if err != nil {
		t.Fatalf("reading: %v", err)
	}
	return m
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
