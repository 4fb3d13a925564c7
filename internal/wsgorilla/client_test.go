package wsgorilla_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

const (
	transportWS = "graphql-transport-ws" // graphql-ws (npm) clients
	legacyWS    = "graphql-ws"           // subscriptions-transport-ws clients
)

// msg is a frame of either protocol: both use {type, id, payload}.
type msg struct {
	Type    string          `json:"type"`
	ID      string          `json:"id,omitempty"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// client speaks the protocols by hand over a real gorilla dial.
type client struct {
	t  *testing.T
	ws *websocket.Conn
}

func dial(t *testing.T, url string, header http.Header, protocols ...string) *client {
	t.Helper()
	d := websocket.Dialer{Subprotocols: protocols, HandshakeTimeout: 5 * time.Second}
	ws, resp, err := d.Dial(url, header)
	if err != nil {
		t.Fatalf("dialing %s: %v", url, err)
	}
	_ = resp.Body.Close()
	t.Cleanup(func() { _ = ws.Close() })
	return &client{t: t, ws: ws}
}

func (c *client) send(typ, id string, payload any) {
	c.t.Helper()
	m := msg{Type: typ, ID: id}
	if payload != nil {
		b, err := json.Marshal(payload)
		if err != nil {
			c.t.Fatal(err)
		}
		m.Payload = b
	}
	if err := c.ws.WriteJSON(m); err != nil {
		c.t.Fatalf("sending %s: %v", typ, err)
	}
}

// init sends connection_init and expects connection_ack.
func (c *client) init(payload any) {
	c.t.Helper()
	c.send("connection_init", "", payload)
	c.expect("connection_ack", "")
}

func (c *client) read() (msg, error) {
	if err := c.ws.SetReadDeadline(time.Now().Add(5 * time.Second)); err != nil {
		return msg{}, err
	}
	var m msg
	err := c.ws.ReadJSON(&m)
	return m, err
}

// expect reads the next frame, skipping legacy "ka" keep-alives unless one
// is expected, and checks its type and id.
func (c *client) expect(typ, id string) msg {
	c.t.Helper()
	for {
		m, err := c.read()
		if err != nil {
			c.t.Fatalf("reading, want %s: %v", typ, err)
		}
		if m.Type == "ka" && typ != "ka" {
			continue
		}
		if m.Type != typ || m.ID != id {
			c.t.Fatalf("got %s id=%q payload=%s; want %s id=%q", m.Type, m.ID, m.Payload, typ, id)
		}
		return m
	}
}

// expectData checks a next/data frame's payload.
func (c *client) expectData(typ, id, want string) {
	c.t.Helper()
	m := c.expect(typ, id)
	if !jsonEqual(m.Payload, want) {
		c.t.Fatalf("%s payload = %s, want %s", typ, m.Payload, want)
	}
}

// closed reads until the server closes, within 5 s overall, returning the
// frames seen on the way (keep-alives excluded) and the close frame.
func (c *client) closed() ([]msg, *websocket.CloseError) {
	c.t.Helper()
	if err := c.ws.SetReadDeadline(time.Now().Add(5 * time.Second)); err != nil {
		c.t.Fatal(err)
	}
	var seen []msg
	for {
		var m msg
		err := c.ws.ReadJSON(&m)
		if err == nil {
			if m.Type != "ka" && m.Type != "ping" {
				seen = append(seen, m)
			}
			continue
		}
		var ce *websocket.CloseError
		if !errors.As(err, &ce) {
			c.t.Fatalf("want a close frame, got %v", err)
		}
		return seen, ce
	}
}

func jsonEqual(got json.RawMessage, want string) bool {
	var a, b any
	if json.Unmarshal(got, &a) != nil || json.Unmarshal([]byte(want), &b) != nil {
		return false
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}
