package wsgorilla_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/gorilla/websocket"

	"github.com/wexio/webhooks/internal/testkit"
)

// TestInitRejected records what gqlgen sends when InitFunc fails. The close
// code is 1000 "terminated" unless the returned context carries another
// (transport.WithWebsocketCloseCode, transport.AppendCloseReason); the
// legacy protocol gets a connection_error first, graphql-transport-ws has
// no such message and gets only the close. InitFunc must return a non-nil
// context even with its error: gqlgen reads the close code from it.
func TestInitRejected(t *testing.T) {
	t.Parallel()
	plain := func(ctx context.Context, _ transport.InitPayload) (context.Context, *transport.InitPayload, error) {
		return ctx, nil, errors.New("missing API key")
	}
	forbidden := func(ctx context.Context, _ transport.InitPayload) (context.Context, *transport.InitPayload, error) {
		ctx = transport.WithWebsocketCloseCode(ctx, 4403)
		ctx = transport.AppendCloseReason(ctx, "Forbidden")
		return ctx, nil, errors.New("invalid API key")
	}
	cases := []struct {
		proto     string
		init      transport.WebsocketInitFunc
		wantError string // connection_error message; "" for none
		wantCode  int
		wantText  string
	}{
		{transportWS, plain, "", 1000, "terminated"},
		{transportWS, forbidden, "", 4403, "Forbidden"},
		{legacyWS, plain, "missing API key", 1000, "terminated"},
		{legacyWS, forbidden, "invalid API key", 4403, "Forbidden"},
	}
	for _, tc := range cases {
		name := tc.proto + "/" + tc.wantText
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, transport.Websocket{InitFunc: tc.init})
			c := dial(t, f.url, nil, tc.proto)
			c.send("connection_init", "", bearer)

			seen, ce := c.closed()
			if ce.Code != tc.wantCode || ce.Text != tc.wantText {
				t.Fatalf("closed with %d %q, want %d %q", ce.Code, ce.Text, tc.wantCode, tc.wantText)
			}
			var got []string
			for _, m := range seen {
				got = append(got, m.Type+" "+string(m.Payload))
			}
			switch {
			case tc.wantError == "" && len(seen) != 0:
				t.Fatalf("frames before the close: %v, want none", got)
			case tc.wantError != "" && (len(seen) != 1 || seen[0].Type != "connection_error" ||
				!jsonEqual(seen[0].Payload, `{"message":"`+tc.wantError+`"}`)):
				t.Fatalf("frames before the close: %v, want one connection_error", got)
			}
		})
	}
}

func TestReadLimitClosesWith1009(t *testing.T) {
	t.Parallel()
	limit := int64(512)
	f := newFixture(t, transport.Websocket{PayloadReadLimit: &limit})
	c := dial(t, f.url, nil, transportWS)
	c.init(nil)

	// Under the limit is fine.
	c.send("ping", "", map[string]string{"pad": strings.Repeat("a", 400)})
	c.expect("pong", "")

	c.send("subscribe", "1", map[string]string{"query": "subscription { tick } #" + strings.Repeat("a", 600)})
	if _, ce := c.closed(); ce.Code != websocket.CloseMessageTooBig {
		t.Fatalf("closed with %d %q, want 1009", ce.Code, ce.Text)
	}
	testkit.Eventually(t, "ErrReadLimit in ErrorFunc", func() bool {
		for _, err := range f.errors() {
			if errors.Is(err, websocket.ErrReadLimit) {
				return true
			}
		}
		return false
	})
	if f.active.Load() != 0 {
		t.Fatal("the oversized subscribe started a subscription")
	}
}
