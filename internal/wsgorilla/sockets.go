package wsgorilla

import (
	"sync"

	"github.com/gorilla/websocket"
)

// Sockets keeps the connections a Gorilla accepted while they are open, so
// that a server stopping can close them all with a close frame: detached
// from net/http (Detach), they outlive its Shutdown, and a client whose
// socket just dies sees 1006 and may wait before it reconnects.
type Sockets struct {
	mu    sync.Mutex
	conns map[*conn]struct{}
}

// NewSockets returns an empty set.
func NewSockets() *Sockets { return &Sockets{conns: map[*conn]struct{}{}} }

// WithSockets makes New's Gorilla keep its connections in s.
func WithSockets(s *Sockets) Option {
	return func(g *Gorilla) { g.Sockets = s }
}

func (s *Sockets) add(c *conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.conns[c] = struct{}{}
}

func (s *Sockets) remove(c *conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.conns, c)
}

// Len is the number of connections open.
func (s *Sockets) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// GoingAway closes every open connection with 1001 (going away) and
// reason: graphql-ws clients reconnect at once, to another server.
func (s *Sockets) GoingAway(reason string) {
	s.mu.Lock()
	conns := make([]*conn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		_ = c.WriteClose(websocket.CloseGoingAway, reason)
		_ = c.Close()
	}
}
