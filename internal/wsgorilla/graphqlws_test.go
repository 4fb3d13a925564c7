package wsgorilla_test

import (
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/gorilla/websocket"

	"github.com/wexio/webhooks/internal/testkit"
)

func TestLegacyStartStopKeepAlive(t *testing.T) {
	t.Parallel()
	f := newFixture(t, transport.Websocket{KeepAlivePingInterval: 20 * time.Millisecond})
	c := dial(t, f.url, nil, legacyWS)
	if got := c.ws.Subprotocol(); got != legacyWS {
		t.Fatalf("negotiated %q, want %q", got, legacyWS)
	}

	c.init(bearer)
	c.expect("ka", "") // sent once right after connection_ack
	if got := f.initPayload().Authorization(); got != "Bearer x" {
		t.Fatalf("InitFunc saw Authorization %q, want %q", got, "Bearer x")
	}

	c.send("start", "1", map[string]string{"query": "subscription { tick }"})
	c.expectData("data", "1", `{"data":{"tick":1}}`)
	c.expectData("data", "1", `{"data":{"tick":2}}`)
	c.expect("ka", "") // and then every KeepAlivePingInterval
	c.send("stop", "1", nil)
	c.expect("complete", "1")
	testkit.Eventually(t, "the resolver's pump to end", func() bool { return f.active.Load() == 0 })

	c.send("start", "2", map[string]string{"query": "subscription { auth }"})
	c.expectData("data", "2", `{"data":{"auth":"Bearer x"}}`)
	c.expect("complete", "2")

	c.send("connection_terminate", "", nil)
	if _, ce := c.closed(); ce.Code != websocket.CloseNormalClosure || ce.Text != "terminated" {
		t.Fatalf("closed with %d %q, want 1000 \"terminated\"", ce.Code, ce.Text)
	}
	testkit.Eventually(t, "CloseFunc", func() bool { return f.closes.Load() == 1 })
	if errs := f.errors(); len(errs) != 0 {
		t.Fatalf("ErrorFunc got %v", errs)
	}
}

func TestLegacySlowSubscriberError(t *testing.T) {
	t.Parallel()
	f := newFixture(t, transport.Websocket{})
	c := dial(t, f.url, nil, legacyWS)
	c.init(nil)

	c.send("start", "1", map[string]string{"query": "subscription { slow }"})
	c.expectData("data", "1", `{"data":{"slow":1}}`)
	m := c.expect("error", "1")
	if !jsonEqual(m.Payload, `[{"message":"subscriber too slow; read the gap back with webhookLogs",`+
		`"extensions":{"code":"SLOW_SUBSCRIBER"}}]`) {
		t.Fatalf("error payload %s", m.Payload)
	}
	c.send("start", "2", map[string]string{"query": "subscription { auth }"})
	c.expectData("data", "2", `{"data":{"auth":""}}`)
}

// TestClientDisconnectEndsSubscription drops the TCP connection without a
// close frame, as a closed laptop would: the subscription context must end
// (the resolver's goroutine exits) and CloseFunc must run.
func TestClientDisconnectEndsSubscription(t *testing.T) {
	t.Parallel()
	for _, proto := range []string{transportWS, legacyWS} {
		t.Run(proto, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, transport.Websocket{})
			c := dial(t, f.url, nil, proto)
			c.init(nil)
			start := map[string]string{transportWS: "subscribe", legacyWS: "start"}[proto]
			next := map[string]string{transportWS: "next", legacyWS: "data"}[proto]
			c.send(start, "1", map[string]string{"query": "subscription { tick }"})
			c.send(start, "2", map[string]string{"query": "subscription { tick }"})
			seen := map[string]int{}
			for n := 0; n < 4; { // two ticks each, interleaved
				m, err := c.read()
				if err == nil && m.Type == "ka" {
					continue
				}
				n++
				if err != nil || m.Type != next {
					t.Fatalf("got %+v, %v; want %s", m, err, next)
				}
				seen[m.ID]++
			}
			if seen["1"] != 2 || seen["2"] != 2 {
				t.Fatalf("ticks per subscription: %v", seen)
			}
			if f.active.Load() != 2 {
				t.Fatalf("active = %d, want 2", f.active.Load())
			}

			_ = c.ws.NetConn().Close()
			testkit.Eventually(t, "subscriptions to end", func() bool { return f.active.Load() == 0 })
			testkit.Eventually(t, "CloseFunc", func() bool { return f.closes.Load() == 1 })
		})
	}
}
