package wsgorilla

import (
	"fmt"
	"io"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/gorilla/websocket"
)

// maxCloseReason is what fits in a close frame: a control frame carries at
// most 125 bytes, two of which are the code. A longer reason makes gorilla
// refuse to send the frame at all.
const maxCloseReason = 123

// conn is a gorilla connection as gqlgen's transport sees it.
type conn struct {
	ws           *websocket.Conn
	writeTimeout time.Duration // 0: no deadline

	// wmu serialises data writes: gorilla allows one writer at a time and
	// panics on a concurrent one. gqlgen serialises its own writes today;
	// this keeps the adapter safe without relying on that.
	wmu sync.Mutex

	sockets *Sockets // the set it is in while open; may be nil
}

var (
	_ transport.WebsocketConn          = (*conn)(nil)
	_ transport.WebsocketReadLimiter   = (*conn)(nil)
	_ transport.WebsocketReadDeadliner = (*conn)(nil)
)

func newConn(ws *websocket.Conn, writeTimeout time.Duration) *conn {
	return &conn{ws: ws, writeTimeout: writeTimeout}
}

// NextReader returns the next message. A close frame with code 1000 or 1005
// (a normal end) is reported as transport.ErrWebsocketClosed, which gqlgen
// does not treat as a failure; the *websocket.CloseError stays reachable
// with errors.As.
func (c *conn) NextReader() (int, io.Reader, error) {
	messageType, r, err := c.ws.NextReader()
	if err == nil {
		return messageType, r, nil
	}
	if websocket.IsCloseError(err, websocket.CloseNormalClosure, websocket.CloseNoStatusReceived) {
		return messageType, nil, fmt.Errorf("reading websocket message: %w: %w", transport.ErrWebsocketClosed, err)
	}
	return messageType, nil, fmt.Errorf("reading websocket message: %w", err)
}

// WriteJSON writes v as one text message within the write timeout. After a
// timeout gorilla fails every later write, so a stuck client is cut off.
func (c *conn) WriteJSON(v any) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.writeTimeout > 0 {
		if err := c.ws.SetWriteDeadline(time.Now().Add(c.writeTimeout)); err != nil {
			return fmt.Errorf("setting websocket write deadline: %w", err)
		}
	}
	if err := c.ws.WriteJSON(v); err != nil {
		return fmt.Errorf("writing websocket message: %w", err)
	}
	return nil
}

// WriteClose sends a close frame. It does not take wmu: gorilla's
// WriteControl may run concurrently with a data write, and a close must not
// queue behind a write stuck on a slow client.
func (c *conn) WriteClose(code int, reason string) error {
	code = protocolCloseCode(c.Subprotocol(), code, reason)
	msg := websocket.FormatCloseMessage(code, truncate(reason, maxCloseReason))
	if err := c.ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(closeTimeout)); err != nil {
		return fmt.Errorf("writing websocket close frame: %w", err)
	}
	return nil
}

// Subprotocol returns the negotiated subprotocol ("" if none).
func (c *conn) Subprotocol() string {
	return c.ws.Subprotocol()
}

// Close closes the network connection without a close frame; gqlgen calls
// WriteClose first when it has something to say.
func (c *conn) Close() error {
	if c.sockets != nil {
		c.sockets.remove(c)
	}
	if err := c.ws.Close(); err != nil {
		return fmt.Errorf("closing websocket: %w", err)
	}
	return nil
}

// SetReadLimit caps a message's size. Over it, gorilla sends close 1009
// (message too big) and NextReader fails with websocket.ErrReadLimit.
func (c *conn) SetReadLimit(limit int64) {
	c.ws.SetReadLimit(limit)
}

// SetReadDeadline sets the deadline for the next reads; the zero time
// clears it. gqlgen uses it to drop clients that stop answering pings.
func (c *conn) SetReadDeadline(t time.Time) error {
	if err := c.ws.SetReadDeadline(t); err != nil {
		return fmt.Errorf("setting websocket read deadline: %w", err)
	}
	return nil
}

// truncate cuts s to at most n bytes without splitting a UTF-8 sequence.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// protocolCloseCode gives a close the code its subprotocol names where
// gqlgen uses a generic one: graphql-transport-ws closes a socket whose
// connection_init never came with 4408, which its clients act on.
func protocolCloseCode(subprotocol string, code int, reason string) int {
	if subprotocol == "graphql-transport-ws" && code == websocket.CloseProtocolError &&
		reason == "connection initialisation timeout" {
		return 4408
	}
	return code
}
