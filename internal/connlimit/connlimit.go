// Package connlimit caps the connections an HTTP server holds open at once,
// making room for each new client by closing the connection that has waited
// longest without a request.
//
// A limit that stops accepting at the cap would leave new clients queued in
// the kernel's backlog behind idle squatters, health checks included: that is
// how 20,000 idle sockets once made /readyz take seconds. Here Accept never
// waits: at the cap the longest-waiting new or idle connection is closed,
// and only when every open connection is busy (a request in flight, or a
// WebSocket) is the newcomer closed instead.
package connlimit

import (
	"container/list"
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"
)

// Headroom is the file descriptors kept beside the connections for the
// database, files and outbound sockets when the open-file limit is what
// bounds the cap.
const Headroom = 256

// shedLogEvery spaces the debug lines about shedding: a flood sheds thousands
// of connections a second, and one line each would flood the log too.
const shedLogEvery = time.Second

// Listener is a net.Listener that counts the connections it accepted until
// each is closed, and keeps the count at or below its cap. Its ConnState
// must be the http.Server's ConnState hook (or be called from it), so that
// it knows which connections wait for a request and which are busy.
type Listener struct {
	net.Listener
	limit int
	log   *slog.Logger

	mu sync.Mutex
	// waiting holds the new and idle connections, the one waiting longest
	// at the front: the first to close when room is needed.
	waiting list.List
	open    int
	peak    int
	shed    uint64
	refused uint64
	logged  time.Time // when shedding was last logged
}

// New caps ln at max open connections, fewer when the process's open-file
// limit leaves less than max plus Headroom: then it logs a warning on log
// saying how to raise the limit. max must be positive; log may be nil.
func New(ln net.Listener, max int, log *slog.Logger) *Listener {
	return newListener(ln, max, log, fileLimit)
}

// newListener is New with the open-file limit read by fileLimit (ok false:
// unknown), for tests to give a limit of their own.
func newListener(ln net.Listener, max int, log *slog.Logger, fileLimit func() (n uint64, ok bool)) *Listener {
	if max <= 0 {
		panic(fmt.Sprintf("connlimit: max must be positive, got %d", max))
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	l := &Listener{Listener: ln, limit: max, log: log}
	n, ok := fileLimit()
	if !ok {
		return l
	}
	if l.limit = fit(max, n); l.limit < max {
		want := max + Headroom
		log.Warn(fmt.Sprintf("the open-file limit allows fewer connections than asked: serving at most %d at once; "+
			"to serve %d, raise the limit to at least %d (ulimit -n %d in the shell that starts the server, "+
			"LimitNOFILE=%d under systemd, --ulimit nofile=%d with Docker)", l.limit, max, want, want, want, want),
			"max_connections", max, "cap", l.limit, "open_file_limit", n)
	}
	return l
}

// fit returns the connections that n open files hold beside Headroom, at
// most asked. A limit too small for the headroom gives half of itself: a
// server with few files still serves some clients.
func fit(asked int, n uint64) int {
	if n >= uint64(asked)+Headroom {
		return asked
	}
	room := int(n) - Headroom // n < asked+Headroom: it fits an int
	if half := int(n) / 2; room < half {
		room = half
	}
	return min(max(room, 1), asked)
}

// Accept returns the next connection, first closing the one waiting longest
// when the cap is reached. A newcomer that finds every open connection busy
// is closed at once and Accept goes on to the next: clients are turned
// away, never left in the backlog.
//
// Errors are returned as the listener gave them, not wrapped: net/http
// retries, with backoff, only an error that is itself a net.Error saying
// Temporary (EMFILE, ENFILE), and gives up serving on any other.
func (l *Listener) Accept() (net.Conn, error) {
	for {
		nc, err := l.Listener.Accept()
		if err != nil {
			if outOfFiles(err) {
				// Something beside the connections took the headroom;
				// closing an idle one frees a descriptor for the retry.
				l.mu.Lock()
				victim := l.evictLocked()
				l.mu.Unlock()
				if victim != nil {
					_ = victim.Conn.Close()
					l.logShedding()
				}
			}
			return nil, err
		}
		c, victim := l.admit(nc)
		if victim != nil {
			// Outside l.mu: the close is a system call, and the server's
			// goroutine reading victim wakes to call Close and ConnState.
			_ = victim.Conn.Close()
		}
		if c == nil {
			_ = nc.Close() // refused: the client sees its connection closed
		}
		if victim != nil || c == nil {
			l.logShedding()
		}
		if c != nil {
			return c, nil
		}
	}
}

// admit counts nc in, making room by evicting the longest-waiting
// connection. It returns nil when there is no room: every open connection
// is busy.
func (l *Listener) admit(nc net.Conn) (c *conn, victim *conn) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open >= l.limit {
		if victim = l.evictLocked(); victim == nil {
			l.refused++
			return nil, nil
		}
	}
	c = &conn{Conn: nc, l: l}
	c.elem = l.waiting.PushBack(c)
	l.open++
	l.peak = max(l.peak, l.open)
	return c, victim
}

// evictLocked takes the longest-waiting connection out of the count, for
// the caller to close once l.mu is released; nil when none waits. Its
// descriptor outlives the count by that moment, one of Headroom's.
func (l *Listener) evictLocked() *conn {
	front := l.waiting.Front()
	if front == nil {
		return nil
	}
	c := l.waiting.Remove(front).(*conn)
	c.elem, c.closed = nil, true
	l.open--
	l.shed++
	return c
}

// logShedding writes at most one debug line per shedLogEvery, with the
// totals so that a line skipped loses nothing.
func (l *Listener) logShedding() {
	if !l.log.Enabled(context.Background(), slog.LevelDebug) {
		return
	}
	l.mu.Lock()
	now := time.Now()
	if now.Sub(l.logged) < shedLogEvery {
		l.mu.Unlock()
		return
	}
	l.logged = now
	open, shed, refused := l.open, l.shed, l.refused
	l.mu.Unlock()
	l.log.Debug("connection cap reached: closing the connections waiting longest",
		"cap", l.limit, "open", open, "shed_total", shed, "refused_total", refused)
}

// ConnState follows net/http's view of each connection: new and idle ones
// may be shed, active and hijacked ones are left alone. Set it as the
// http.Server's ConnState, or call it from that hook.
func (l *Listener) ConnState(nc net.Conn, state http.ConnState) {
	c := l.own(nc)
	if c == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if c.closed {
		// Shed while net/http was between states: it will find the
		// connection closed on its next read.
		return
	}
	switch state {
	case http.StateIdle:
		// Waiting from now on: to the back of the line.
		if c.elem != nil {
			l.waiting.MoveToBack(c.elem)
		} else {
			c.elem = l.waiting.PushBack(c)
		}
	case http.StateActive, http.StateHijacked:
		// A hijacked connection (a WebSocket) is no longer net/http's:
		// it stays counted until its owner closes it.
		if c.elem != nil {
			l.waiting.Remove(c.elem)
			c.elem = nil
		}
	}
	// StateNew: waiting since Accept. StateClosed: Close has counted it out.
}

// own returns the connection of l that nc is or wraps (a *tls.Conn), or nil.
func (l *Listener) own(nc net.Conn) *conn {
	for range 2 {
		if c, ok := nc.(*conn); ok && c.l == l {
			return c
		}
		u, ok := nc.(interface{ NetConn() net.Conn })
		if !ok {
			return nil
		}
		nc = u.NetConn()
	}
	return nil
}

// release counts c out, once however many times it is closed.
func (l *Listener) release(c *conn) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if c.closed {
		return
	}
	c.closed = true
	if c.elem != nil {
		l.waiting.Remove(c.elem)
		c.elem = nil
	}
	l.open--
}

// Cap is the most connections held open at once: the max given to New,
// or less when the open-file limit is lower.
func (l *Listener) Cap() int { return l.limit }

// Open is the connections accepted and not yet closed, hijacked ones
// included.
func (l *Listener) Open() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.open
}

// Peak is the most connections that were open at once.
func (l *Listener) Peak() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.peak
}

// Shed counts the new or idle connections closed to make room.
func (l *Listener) Shed() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.shed
}

// Refused counts the connections closed as soon as accepted because every
// open connection was busy.
func (l *Listener) Refused() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.refused
}

// conn is an accepted connection, counted until its first Close.
type conn struct {
	net.Conn
	l *Listener
	// Guarded by l.mu.
	elem   *list.Element // in l.waiting while new or idle
	closed bool
}

func (c *conn) Close() error {
	c.l.release(c)
	return c.Conn.Close()
}

// CloseWrite keeps net/http's graceful close of a connection it answered
// with an error (431, 413): without it the unread rest of the request
// makes the close a reset, and the client may lose the answer.
func (c *conn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}
