package wsgorilla_test

import (
	"errors"
	"net"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/gorilla/websocket"

	"github.com/wexio/webhooks/internal/testkit"
)

var bearer = map[string]string{"Authorization": "Bearer x"}

func TestTransportWSSubscribeCompletePing(t *testing.T) {
	t.Parallel()
	f := newFixture(t, transport.Websocket{})
	c := dial(t, f.url, nil, transportWS)
	if got := c.ws.Subprotocol(); got != transportWS {
		t.Fatalf("negotiated %q, want %q", got, transportWS)
	}

	c.init(bearer)
	if got := f.initPayload().Authorization(); got != "Bearer x" {
		t.Fatalf("InitFunc saw Authorization %q, want %q", got, "Bearer x")
	}

	c.send("ping", "", map[string]int{"n": 1})
	if m := c.expect("pong", ""); !jsonEqual(m.Payload, `{"n":1}`) {
		t.Fatalf("pong payload %s, want the ping's", m.Payload)
	}

	c.send("subscribe", "1", map[string]string{"query": "subscription { tick }"})
	c.expectData("next", "1", `{"data":{"tick":1}}`)
	c.expectData("next", "1", `{"data":{"tick":2}}`)
	c.send("complete", "1", nil)
	c.expect("complete", "1") // gqlgen acknowledges a client complete
	testkit.Eventually(t, "the resolver's pump to end", func() bool { return f.active.Load() == 0 })

	// The init payload reaches resolvers; a stream that ends gets complete.
	c.send("subscribe", "2", map[string]string{"query": "subscription { auth }"})
	c.expectData("next", "2", `{"data":{"auth":"Bearer x"}}`)
	c.expect("complete", "2")

	// A normal close (1000) is not an error: the adapter maps it to
	// transport.ErrWebsocketClosed, which gqlgen does not report.
	msg := websocket.FormatCloseMessage(websocket.CloseNormalClosure, "bye")
	if err := c.ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	testkit.Eventually(t, "CloseFunc", func() bool { return f.closes.Load() == 1 })
	if errs := f.errors(); len(errs) != 0 {
		t.Fatalf("ErrorFunc got %v after a normal close", errs)
	}
}

func TestTransportWSServerPingPong(t *testing.T) {
	t.Parallel()
	// The read deadline is 2 × the interval after each ping; 150 ms leaves
	// room for a loaded machine.
	f := newFixture(t, transport.Websocket{PingPongInterval: 150 * time.Millisecond})
	c := dial(t, f.url, nil, transportWS)
	c.init(nil)
	for range 2 {
		c.expect("ping", "")
		c.send("pong", "", nil)
	}
	if errs := f.errors(); len(errs) != 0 {
		t.Fatalf("ErrorFunc got %v while pongs were answered", errs)
	}
}

func TestTransportWSMissingPongHitsReadDeadline(t *testing.T) {
	t.Parallel()
	f := newFixture(t, transport.Websocket{PingPongInterval: 20 * time.Millisecond})
	c := dial(t, f.url, nil, transportWS)
	c.init(nil)

	// Never answer: SetReadDeadline must make the server's read fail.
	_, ce := c.closed()
	if ce.Code != websocket.CloseNormalClosure || ce.Text != "terminated" {
		t.Fatalf("closed with %d %q, want 1000 \"terminated\"", ce.Code, ce.Text)
	}
	testkit.Eventually(t, "the read timeout to reach ErrorFunc", func() bool {
		for _, err := range f.errors() {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				return true
			}
		}
		return false
	})
}

func TestTransportWSSlowSubscriberError(t *testing.T) {
	t.Parallel()
	f := newFixture(t, transport.Websocket{})
	c := dial(t, f.url, nil, transportWS)
	c.init(nil)

	c.send("subscribe", "1", map[string]string{"query": "subscription { slow }"})
	c.expectData("next", "1", `{"data":{"slow":1}}`)
	m := c.expect("error", "1")
	want := `[{"message":"subscriber too slow; read the gap back with webhookLogs",` +
		`"extensions":{"code":"SLOW_SUBSCRIBER"}}]`
	if !jsonEqual(m.Payload, want) {
		t.Fatalf("error payload %s, want %s", m.Payload, want)
	}

	// The error ends the operation (no complete follows) and only it: the
	// connection serves the next subscription.
	c.send("subscribe", "2", map[string]string{"query": "subscription { auth }"})
	c.expectData("next", "2", `{"data":{"auth":""}}`)
	c.expect("complete", "2")
}
