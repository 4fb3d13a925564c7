package wsgorilla

import (
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/gorilla/websocket"
)

// DefaultWriteTimeout bounds one message write when Gorilla.WriteTimeout is
// zero. gqlgen serialises every write of a connection (keep-alives, all its
// subscriptions) behind one lock, so a client that stops reading would
// otherwise stall the whole connection forever.
const DefaultWriteTimeout = 10 * time.Second

// closeTimeout bounds the close frame: the peer may already be gone.
const closeTimeout = time.Second

// Gorilla accepts gqlgen WebSocket connections with gorilla/websocket. The
// zero value works: gorilla's defaults apply, including its same-origin
// check; New adds a write buffer pool and the origin options.
type Gorilla struct {
	// Upgrader performs the handshake. Its Subprotocols are offered along
	// with gqlgen's. A nil CheckOrigin accepts requests without an Origin
	// header and those whose Origin host equals the request's Host.
	Upgrader websocket.Upgrader
	// WriteTimeout bounds each write; zero means DefaultWriteTimeout and a
	// negative value means no deadline.
	WriteTimeout time.Duration
	// Sockets, when set, keeps the open connections (GoingAway).
	Sockets *Sockets
}

// Accept works on a copy, so a Gorilla may be shared by all requests.
var _ transport.WebsocketImplementation = Gorilla{}

// Option configures New.
type Option func(*Gorilla)

// New returns a Gorilla that accepts same-origin and Origin-less requests
// (servers, CLI clients) unless an origin option says otherwise. Idle
// connections share a write buffer pool instead of holding 4 KiB each, and
// read through 1 KiB rather than net/http's 4 KiB: clients of a GraphQL
// socket send little (init, subscribe, pong), and a buffer's size does not
// limit a message's.
func New(opts ...Option) Gorilla {
	g := Gorilla{Upgrader: websocket.Upgrader{
		CheckOrigin:     SameOrigin,
		ReadBufferSize:  1024,
		WriteBufferPool: &sync.Pool{},
	}}
	for _, opt := range opts {
		opt(&g)
	}
	return g
}

// WithWriteTimeout sets Gorilla.WriteTimeout.
func WithWriteTimeout(d time.Duration) Option {
	return func(g *Gorilla) { g.WriteTimeout = d }
}

// Accept upgrades the request. gqlgen writes its own 400 response when
// Accept fails, so unless the Upgrader has an Error function the handshake
// error is returned without a response of its own (two would be written).
func (g Gorilla) Accept(
	w http.ResponseWriter,
	r *http.Request,
	opts transport.WebsocketAcceptOptions,
) (transport.WebsocketConn, error) {
	u := g.Upgrader // a copy: Upgrader is shared by concurrent requests
	u.Subprotocols = negotiate(websocket.Subprotocols(r), g.Upgrader.Subprotocols, opts.Subprotocols)
	if u.Error == nil {
		u.Error = func(http.ResponseWriter, *http.Request, int, error) {}
	}
	if hj, ok := w.(http.Hijacker); ok {
		w = coalescing{ResponseWriter: w, hj: hj}
	}
	ws, err := u.Upgrade(w, r, opts.ResponseHeader)
	if err != nil {
		return nil, fmt.Errorf("upgrading to websocket: %w", err)
	}
	c := newConn(ws, g.writeTimeout())
	if g.Sockets != nil {
		c.sockets = g.Sockets
		g.Sockets.add(c)
	}
	return c, nil
}

func (g Gorilla) writeTimeout() time.Duration {
	switch {
	case g.WriteTimeout == 0:
		return DefaultWriteTimeout
	case g.WriteTimeout < 0:
		return 0
	default:
		return g.WriteTimeout
	}
}

// negotiate returns the Subprotocols to give gorilla's Upgrader so that the
// client's preference wins. Gorilla picks in the server's order, and gqlgen
// lists the legacy graphql-ws first, so a client offering both protocols
// would otherwise get the legacy one. The result is the first protocol the
// client offered that either list supports, or every supported protocol
// when none matches (gorilla then selects none).
func negotiate(client []string, supported ...[]string) []string {
	all := slices.Concat(supported...)
	for _, p := range client {
		if slices.Contains(all, p) {
			return []string{p}
		}
	}
	return all
}
