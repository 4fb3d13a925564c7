package wsgorilla

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/gorilla/websocket"
)

// wire is the server end of a loopback TCP connection whose writes wait
// until open is closed (a slow network), or the connection is, counted.
type wire struct {
	net.Conn
	open    chan struct{}
	entered chan struct{} // a write began: one value each
	closed  chan struct{}
	once    sync.Once

	mu     sync.Mutex
	writes int
}

func (w *wire) Write(p []byte) (int, error) {
	w.entered <- struct{}{}
	select {
	case <-w.open:
	case <-w.closed:
		return 0, net.ErrClosed
	}
	w.mu.Lock()
	w.writes++
	w.mu.Unlock()
	return w.Conn.Write(p) //nolint:wrapcheck // a net.Conn's own error
}

func (w *wire) Close() error {
	w.once.Do(func() { close(w.closed) })
	return w.Conn.Close() //nolint:wrapcheck // a net.Conn's own error
}

func (w *wire) count() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.writes
}

// tcpPair returns a held wire and the client end of its connection.
func tcpPair(t *testing.T) (*wire, net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		accepted <- c
	}()
	client, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	server := <-accepted
	if server == nil {
		t.Fatal("accept failed")
	}
	t.Cleanup(func() { _ = client.Close(); _ = server.Close() })
	return &wire{Conn: server, open: make(chan struct{}), entered: make(chan struct{}, 1000), closed: make(chan struct{})}, client
}

func TestCoalescerSendsWhatQueuedMeanwhileInOneWrite(t *testing.T) {
	t.Parallel()
	w, client := tcpPair(t)
	q := newCoalescer(w)
	var want bytes.Buffer
	for i := range 100 {
		msg := fmt.Sprintf("frame %d;", i)
		want.WriteString(msg)
		// Each returns at once, though nothing has reached the wire yet.
		if n, err := q.Write([]byte(msg)); err != nil || n != len(msg) {
			t.Fatalf("write %d: %d, %v", i, n, err)
		}
	}
	close(w.open) // the first write goes out, and the rest after it
	got := make([]byte, want.Len())
	if _, err := io.ReadFull(client, got); err != nil {
		t.Fatal(err)
	}
	if string(got) != want.String() {
		t.Fatalf("the client read %q, want %q", got, want.String())
	}
	if n := w.count(); n > 2 {
		t.Errorf("100 frames took %d writes; the 99 queued behind the first should go in one", n)
	}
}

func TestCoalescerWriteWaitsWhileTheQueueIsFull(t *testing.T) {
	t.Parallel()
	w, client := tcpPair(t)
	go func() { _, _ = io.Copy(io.Discard, client) }()
	q := newCoalescer(w)
	if _, err := q.Write([]byte("on the wire")); err != nil {
		t.Fatal(err)
	}
	<-w.entered // the flusher took it, and waits for the wire
	// Queued behind it: the queue is full.
	if _, err := q.Write(make([]byte, maxPending)); err != nil {
		t.Fatal(err)
	}
	wrote := make(chan error, 1)
	go func() { _, err := q.Write([]byte("one more")); wrote <- err }()
	select {
	case err := <-wrote:
		t.Fatalf("a write with the queue full returned (%v) before the wire took anything", err)
	case <-time.After(50 * time.Millisecond):
	}
	close(w.open)
	if err := <-wrote; err != nil {
		t.Fatalf("the write waiting for room: %v", err)
	}
}

func TestCoalescerFailsEveryWriteAfterTheWireFails(t *testing.T) {
	t.Parallel()
	w, _ := tcpPair(t) // the client reads nothing
	close(w.open)
	q := newCoalescer(w)
	if err := q.SetWriteDeadline(time.Now().Add(100 * time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 64<<10)
	var err error
	for i := 0; i < 10000 && err == nil; i++ { // until the kernel's buffers are full and the deadline passes
		_, err = q.Write(chunk)
	}
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("writing to a client that reads nothing: %v, want the deadline's error", err)
	}
	if _, again := q.Write([]byte("x")); !errors.Is(again, os.ErrDeadlineExceeded) {
		t.Fatalf("the next write: %v, want the same error", again)
	}
}

func TestCoalescerCloseSendsTheQueueFirst(t *testing.T) {
	t.Parallel()
	w, client := tcpPair(t)
	q := newCoalescer(w)
	for _, msg := range []string{"a", "b", "bye"} {
		if _, err := q.Write([]byte(msg)); err != nil {
			t.Fatal(err)
		}
	}
	closed := make(chan error, 1)
	go func() { closed <- q.Close() }()
	close(w.open)
	if err := <-closed; err != nil {
		t.Fatal(err)
	}
	if got, err := io.ReadAll(client); err != nil || string(got) != "abbye" {
		t.Fatalf("the client read %q (%v), want every byte queued before the close, then EOF", got, err)
	}
	if _, err := q.Write([]byte("late")); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("a write after Close: %v", err)
	}
}

func TestCoalescerCloseGivesUpOnAStuckWire(t *testing.T) {
	t.Parallel()
	// At the write deadline, or at closeTimeout when that is later.
	for _, deadline := range []time.Duration{50 * time.Millisecond, time.Hour} {
		t.Run(deadline.String(), func(t *testing.T) {
			t.Parallel()
			w, _ := tcpPair(t) // the wire never opens
			q := newCoalescer(w)
			if _, err := q.Write([]byte("stuck")); err != nil {
				t.Fatal(err)
			}
			if err := q.SetWriteDeadline(time.Now().Add(deadline)); err != nil {
				t.Fatal(err)
			}
			closed := make(chan error, 1)
			go func() { closed <- q.Close() }()
			select {
			case err := <-closed:
				if err != nil {
					t.Fatal(err)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("Close waited on a wire that takes nothing past its deadline and closeTimeout")
			}
			close(w.open) // the flusher's write now fails on the closed socket
		})
	}
}

// TestStuckClientIsCutOff: a subscriber's client that reads nothing gets
// its writes failed within the write timeout, queue or no queue.
func TestStuckClientIsCutOff(t *testing.T) {
	t.Parallel()
	failed := make(chan error, 1)
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := New(WithWriteTimeout(200*time.Millisecond)).Accept(w, r, transport.WebsocketAcceptOptions{ResponseHeader: http.Header{}})
		if err != nil {
			t.Errorf("accepting: %v", err)
			return
		}
		defer c.Close()
		frame := map[string]string{"payload": strings.Repeat("x", 32<<10)}
		for i := 0; i < 100000; i++ {
			if err := c.WriteJSON(frame); err != nil {
				failed <- err
				return
			}
		}
		failed <- nil
	}))
	defer hs.Close()
	ws, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(hs.URL, "http"), nil)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	defer ws.Close() // and never read
	select {
	case err := <-failed:
		// gorilla hands a timeout on as a net.Error of its own.
		var ne net.Error
		if !errors.As(err, &ne) || !ne.Timeout() {
			t.Fatalf("writing to a client that reads nothing: %v, want the write timeout's error", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("writes to a client that reads nothing never failed")
	}
}
