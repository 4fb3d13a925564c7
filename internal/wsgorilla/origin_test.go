package wsgorilla_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/gorilla/websocket"

	"github.com/wexio/webhooks/internal/wsgorilla"
)

func TestOriginPolicy(t *testing.T) {
	t.Parallel()
	list := wsgorilla.WithAllowedOrigins("https://app.example.com", " Dash.Example.com:8443 ", "")
	cases := []struct {
		name   string
		opts   []wsgorilla.Option
		origin string // "" sends no Origin header
		want   bool
	}{
		{"no origin (server client)", nil, "", true},
		{"same host", nil, "http://api.example.com", true},
		{"same host, other case", nil, "HTTP://API.EXAMPLE.COM", true},
		{"other host", nil, "https://evil.example", false},
		{"same name, other port", nil, "http://api.example.com:81", false},
		{"malformed", nil, "http://%zz", false},
		{"listed origin", []wsgorilla.Option{list}, "https://app.example.com", true},
		{"listed origin, other scheme", []wsgorilla.Option{list}, "http://app.example.com", false},
		{"listed bare host, any scheme", []wsgorilla.Option{list}, "http://dash.example.com:8443", true},
		{"list keeps same host", []wsgorilla.Option{list}, "https://api.example.com", true},
		{"list keeps no origin", []wsgorilla.Option{list}, "", true},
		{"not listed", []wsgorilla.Option{list}, "https://evil.example", false},
		{"null origin", []wsgorilla.Option{list}, "null", false},
		{"star", []wsgorilla.Option{wsgorilla.WithAllowedOrigins("*")}, "https://evil.example", true},
		{"allow all", []wsgorilla.Option{wsgorilla.WithAllowAllOrigins()}, "null", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest(http.MethodGet, "http://api.example.com/query", nil)
			if tc.origin != "" {
				r.Header.Set("Origin", tc.origin)
			}
			if got := wsgorilla.New(tc.opts...).Upgrader.CheckOrigin(r); got != tc.want {
				t.Fatalf("CheckOrigin(%q) = %v, want %v", tc.origin, got, tc.want)
			}
		})
	}
}

// TestCrossOriginRejected: the handshake fails with gqlgen's single 400
// response (the adapter writes none of its own, so there is no second one).
func TestCrossOriginRejected(t *testing.T) {
	t.Parallel()
	f := newFixture(t, transport.Websocket{})
	d := websocket.Dialer{Subprotocols: []string{transportWS}}
	_, resp, err := d.Dial(f.url, http.Header{"Origin": {"https://evil.example"}})
	if !errors.Is(err, websocket.ErrBadHandshake) || resp == nil || resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("dial = %v, %v; want a bad handshake with status 400", resp, err)
	}
	_ = resp.Body.Close()

	// The browser on the server's own origin gets in.
	c := dial(t, f.url, http.Header{"Origin": {"http" + f.url[len("ws"):]}}, transportWS)
	c.init(nil)
}

// TestSubprotocolNegotiation: the client's preference wins (gorilla alone
// would pick in the server's order, where gqlgen lists the legacy protocol
// first); without a known protocol gqlgen speaks graphql-ws.
func TestSubprotocolNegotiation(t *testing.T) {
	t.Parallel()
	cases := []struct {
		offer []string
		want  string
	}{
		{[]string{transportWS, legacyWS}, transportWS},
		{[]string{legacyWS, transportWS}, legacyWS},
		{[]string{"x-unknown", transportWS}, transportWS},
		{nil, ""},
		{[]string{"x-unknown"}, ""},
	}
	f := newFixture(t, transport.Websocket{})
	for _, tc := range cases {
		c := dial(t, f.url, nil, tc.offer...)
		if got := c.ws.Subprotocol(); got != tc.want {
			t.Fatalf("offered %v: negotiated %q, want %q", tc.offer, got, tc.want)
		}
		c.init(nil)
		if tc.want != transportWS {
			c.expect("ka", "") // graphql-ws behaviour
		}
	}
}
