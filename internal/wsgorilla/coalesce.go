package wsgorilla

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// maxPending is how many bytes of frames a connection queues while a
// write is on the wire; past it, the next write waits for the queue to
// drain (the write deadline bounds the wait, as it bounds a write).
const maxPending = 256 << 10

// coalescer is a net.Conn whose writes are queued and put on the wire by
// a flusher goroutine, started when the queue gets its first bytes and
// gone once it is empty: the frames a subscription produces while one
// write is in the kernel go out together in the next, one system call
// (and, on the client, one read) for many. A live-tail subscriber behind
// by a few frames catches up on a fraction of the CPU it took frame by
// frame; one that keeps up is written to at once, as before.
//
// A write returns once its bytes are queued; the error of a write that
// failed on the wire is returned by every later one, as gorilla's own
// writes fail once one has. Close puts what is queued on the wire first,
// within the latest write deadline and closeTimeout.
type coalescer struct {
	net.Conn

	mu       sync.Mutex
	drained  *sync.Cond // the flusher took the queue or stopped
	pending  []byte     // queued, not yet taken by the flusher
	deadline time.Time  // the latest write deadline set
	flushing bool       // a flusher runs
	closed   bool
	err      error // the first write error: every later write fails with it
}

func newCoalescer(c net.Conn) *coalescer {
	q := &coalescer{Conn: c}
	q.drained = sync.NewCond(&q.mu)
	return q
}

// Write queues p, waiting first while the queue is full.
func (q *coalescer) Write(p []byte) (int, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	// Only a running flusher leaves bytes queued: it empties the queue
	// before it stops.
	for q.err == nil && !q.closed && len(q.pending) >= maxPending {
		q.drained.Wait()
	}
	switch {
	case q.err != nil:
		return 0, q.err
	case q.closed:
		return 0, net.ErrClosed
	}
	q.pending = append(q.pending, p...)
	if !q.flushing {
		q.flushing = true
		go q.flush()
	}
	return len(p), nil
}

// flush writes what is queued until the queue stays empty or a write
// fails. Its two buffers go with it: an idle connection holds none.
func (q *coalescer) flush() {
	q.mu.Lock()
	defer q.mu.Unlock()
	var spare []byte
	for len(q.pending) > 0 && q.err == nil {
		buf, deadline := q.pending, q.deadline
		q.pending = spare[:0]
		q.drained.Broadcast()
		q.mu.Unlock()
		err := q.Conn.SetWriteDeadline(deadline)
		if err == nil {
			_, err = q.Conn.Write(buf)
		}
		q.mu.Lock()
		if err != nil {
			q.err = err // a net.Error as the socket's own, for gorilla to judge
			q.pending = nil
		}
		spare = buf
	}
	q.pending = nil
	q.flushing = false
	q.drained.Broadcast()
}

// SetWriteDeadline sets the deadline of the writes that put the queue on
// the wire from now on.
func (q *coalescer) SetWriteDeadline(t time.Time) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.deadline = t
	return nil
}

// SetDeadline sets the read deadline and the write deadline.
func (q *coalescer) SetDeadline(t time.Time) error {
	if err := q.SetWriteDeadline(t); err != nil {
		return err
	}
	if err := q.Conn.SetReadDeadline(t); err != nil {
		return fmt.Errorf("setting the read deadline: %w", err)
	}
	return nil
}

// Close puts the queue on the wire, unless its write fails or misses its
// deadline or closeTimeout, and closes the connection.
func (q *coalescer) Close() error {
	q.mu.Lock()
	q.closed = true
	q.drained.Broadcast() // writers waiting for room give up
	// The flusher's write has until its deadline, closeTimeout at most: a
	// close never waits long on a slow client, a stopping server on many.
	wait := closeTimeout
	if !q.deadline.IsZero() {
		wait = min(time.Until(q.deadline), closeTimeout)
	}
	q.mu.Unlock()
	// Closed under it, a write stuck on the wire fails at once.
	stop := time.AfterFunc(wait, func() { _ = q.Conn.Close() })
	defer stop.Stop()
	q.mu.Lock()
	for q.flushing {
		q.drained.Wait()
	}
	q.mu.Unlock()
	if err := q.Conn.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
		return fmt.Errorf("closing the websocket: %w", err)
	}
	return nil
}

// coalescing is a ResponseWriter whose hijacked connection is a coalescer,
// so that gorilla's upgraded connection writes through one.
type coalescing struct {
	http.ResponseWriter
	hj http.Hijacker
}

// Hijack implements http.Hijacker.
func (c coalescing) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, rw, err := c.hj.Hijack()
	if err != nil {
		return nil, nil, err //nolint:wrapcheck // gorilla answers it as is
	}
	return newCoalescer(conn), rw, nil
}
