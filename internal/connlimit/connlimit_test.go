package connlimit

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wexio/webhooks/internal/testkit"
)

func noFileLimit() (uint64, bool) { return 0, false }

// serve runs an http.Server on a loopback port behind a Listener of cap max.
func serve(t *testing.T, max int, h http.Handler) *Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return serveOn(t, newListener(ln, max, nil, noFileLimit), h)
}

func serveOn(t *testing.T, l *Listener, h http.Handler) *Listener {
	t.Helper()
	if h == nil {
		h = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok") })
	}
	srv := &http.Server{Handler: h, ConnState: l.ConnState, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	t.Cleanup(func() {
		_ = srv.Close()
		if err := <-done; !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("Serve ended with %v, want ErrServerClosed", err)
		}
	})
	return l
}

// dial opens a connection that sends nothing, closed when the test ends.
func dial(t *testing.T, l *Listener) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// get sends one keep-alive GET path on c and reads the answer whole.
func get(t *testing.T, c net.Conn, path string) *http.Response {
	t.Helper()
	if _, err := io.WriteString(c, "GET "+path+" HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res
}

// waitingPeers is the client addresses of the connections that may be
// shed, first to go first.
func (l *Listener) waitingPeers() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for e := l.waiting.Front(); e != nil; e = e.Next() {
		out = append(out, e.Value.(*conn).RemoteAddr().String())
	}
	return out
}

func peers(cs ...net.Conn) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.LocalAddr().String()
	}
	return out
}

// TestShedsTheLongestWaitingFirst: at the cap each newcomer is served and
// the connection waiting longest for a request goes, new (silent) or idle
// (between keep-alive requests) alike; a request puts a connection back at
// the end of the line. The count never passes the cap.
func TestShedsTheLongestWaitingFirst(t *testing.T) {
	t.Parallel()
	l := serve(t, 4, nil)
	c0 := dial(t, l)
	testkit.Eventually(t, "c0 accepted", func() bool { return slices.Equal(l.waitingPeers(), peers(c0)) })
	c1 := dial(t, l)
	get(t, c1, "/")
	testkit.Eventually(t, "c1 idle", func() bool { return slices.Equal(l.waitingPeers(), peers(c0, c1)) })
	c2 := dial(t, l)
	c3 := dial(t, l)
	get(t, c3, "/")
	testkit.Eventually(t, "c2 and c3 waiting", func() bool { return slices.Equal(l.waitingPeers(), peers(c0, c1, c2, c3)) })
	get(t, c1, "/") // c1 waits from now on: the last in line
	testkit.Eventually(t, "c1 idle again", func() bool { return slices.Equal(l.waitingPeers(), peers(c0, c2, c3, c1)) })

	old := []net.Conn{c0, c2, c3, c1}
	for i, want := range old {
		c := dial(t, l)
		if res := get(t, c, "/"); res.StatusCode != http.StatusOK {
			t.Fatalf("newcomer %d: %d, want 200", i, res.StatusCode)
		}
		got := testkit.ClosedByServer(150*time.Millisecond, old...)
		for j := range old {
			if got[j] != (j <= i) {
				t.Fatalf("after newcomer %d: closed %v, want the first %d of c0 c2 c3 c1 (%s first)", i, got, i+1, want.LocalAddr())
			}
		}
		if open, shed := l.Open(), l.Shed(); open != 4 || shed != uint64(i+1) {
			t.Fatalf("after newcomer %d: open %d, shed %d; want 4 and %d", i, open, shed, i+1)
		}
	}
	if l.Peak() != 4 || l.Refused() != 0 {
		t.Fatalf("peak %d, refused %d; want 4 and 0", l.Peak(), l.Refused())
	}
}

// TestBusyConnectionsAreNeverShed: a connection with a request in flight
// is never closed to make room; when every open connection is busy the
// newcomer is closed at once, and the busy ones finish their answers.
func TestBusyConnectionsAreNeverShed(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	started := make(chan struct{}, 2)
	l := serve(t, 2, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		started <- struct{}{}
		<-release
		_, _ = io.WriteString(w, "done")
	}))
	answers := make(chan int, 2)
	busy := func() net.Conn {
		c := dial(t, l)
		_, _ = io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
		<-started
		go func() {
			res, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil {
				answers <- 0
				return
			}
			res.Body.Close()
			answers <- res.StatusCode
		}()
		return c
	}
	busy()
	silent := dial(t, l) // the one waiting connection: shed for the next
	busy()
	if got := testkit.ClosedByServer(150*time.Millisecond, silent); !got[0] {
		t.Fatal("the silent connection is open, want it shed for the second busy one")
	}
	refused := dial(t, l)
	testkit.Eventually(t, "the newcomer refused", func() bool { return l.Refused() == 1 })
	if got := testkit.ClosedByServer(150*time.Millisecond, refused); !got[0] {
		t.Fatal("the newcomer is open with every connection busy, want it closed at once")
	}
	if open, shed := l.Open(), l.Shed(); open != 2 || shed != 1 {
		t.Fatalf("open %d, shed %d; want 2 and 1", open, shed)
	}
	close(release)
	for range 2 {
		if code := <-answers; code != http.StatusOK {
			t.Fatalf("a busy connection's answer: %d, want 200", code)
		}
	}
}

// TestHijackedCountedUntilClosed: a hijacked connection (a WebSocket) is
// open but never shed, counted until whoever holds it closes it, once.
func TestHijackedCountedUntilClosed(t *testing.T) {
	t.Parallel()
	hijacked := make(chan net.Conn, 1)
	l := serve(t, 1, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		nc, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Errorf("hijacking: %v", err)
			return
		}
		_, _ = io.WriteString(nc, "x")
		hijacked <- nc
	}))
	c := dial(t, l)
	_, _ = io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	if _, err := io.ReadFull(c, make([]byte, 1)); err != nil {
		t.Fatal(err)
	}
	nc := <-hijacked
	testkit.Eventually(t, "the hijacked connection out of line", func() bool { return len(l.waitingPeers()) == 0 })
	newcomer := dial(t, l)
	testkit.Eventually(t, "the newcomer refused", func() bool { return l.Refused() == 1 })
	if got := testkit.ClosedByServer(150*time.Millisecond, c, newcomer); got[0] || !got[1] {
		t.Fatalf("closed [hijacked newcomer] = %v, want [false true]", got)
	}
	if l.Open() != 1 {
		t.Fatalf("open %d with a hijacked connection, want 1", l.Open())
	}
	_ = nc.Close()
	_ = nc.Close()
	if l.Open() != 0 {
		t.Fatalf("open %d after the hijacked connection closed twice, want 0", l.Open())
	}
	dial(t, l)
	testkit.Eventually(t, "a newcomer accepted once the hijacked connection closed", func() bool { return l.Open() == 1 })
	if l.Refused() != 1 || l.Shed() != 0 {
		t.Fatalf("refused %d, shed %d; want 1 and 0", l.Refused(), l.Shed())
	}
}

// TestCloseCountsOnce: a connection leaves the count once, whether it was
// shed, closed twice, or reported closed by net/http afterwards; net/http's
// states arriving after the close put nothing back in line.
func TestCloseCountsOnce(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := newListener(ln, 2, nil, noFileLimit)
	t.Cleanup(func() { _ = l.Close() })
	accept := func() net.Conn {
		t.Helper()
		dial(t, l)
		c, err := l.Accept()
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	a, b := accept(), accept()
	c := accept() // sheds a
	if l.Open() != 2 || l.Shed() != 1 {
		t.Fatalf("open %d, shed %d after the third; want 2 and 1", l.Open(), l.Shed())
	}
	_ = a.Close() // as net/http does once its read fails
	l.ConnState(a, http.StateClosed)
	if l.Open() != 2 {
		t.Fatalf("open %d after closing the shed one, want 2", l.Open())
	}
	_ = b.Close()
	_ = b.Close()
	l.ConnState(b, http.StateIdle) // late: b was closed meanwhile
	l.ConnState(b, http.StateClosed)
	if l.Open() != 1 || len(l.waitingPeers()) != 1 {
		t.Fatalf("open %d, waiting %d after closing b twice; want 1 and 1", l.Open(), len(l.waitingPeers()))
	}
	_ = c.Close()
	if l.Open() != 0 || l.Peak() != 2 || len(l.waitingPeers()) != 0 {
		t.Fatalf("open %d, peak %d, waiting %d at the end; want 0, 2, 0", l.Open(), l.Peak(), len(l.waitingPeers()))
	}
	// A connection that is not the listener's changes nothing.
	l.ConnState(&net.TCPConn{}, http.StateIdle)
	if len(l.waitingPeers()) != 0 {
		t.Fatal("a foreign connection was put in line")
	}
}

// TestOpenFileLimitLowersTheCap: a cap that the open-file limit cannot hold
// beside the headroom is lowered to fit, with one warning saying how to
// raise the limit; a limit that holds it, or one unknown, leaves it.
func TestOpenFileLimitLowersTheCap(t *testing.T) {
	t.Parallel()
	tests := []struct {
		max     int
		limit   uint64
		known   bool
		want    int
		warning string
	}{
		{10000, 20000, true, 10000, ""},
		{10000, 10256, true, 10000, ""},
		{10000, 10255, true, 9999, "ulimit -n 10256"},
		{10000, 1024, true, 768, "serving at most 768 at once"},
		{10000, 300, true, 150, "LimitNOFILE=10256"}, // the headroom would leave 44: half the limit instead
		{10000, 1, true, 1, "at least 10256"},
		{200, 1024, true, 200, ""},
		{10000, 0, false, 10000, ""},
		{10000, 1 << 63, true, 10000, ""}, // RLIM_INFINITY
	}
	for _, tt := range tests {
		var logs bytes.Buffer
		log := slog.New(slog.NewTextHandler(&logs, nil))
		l := newListener(nil, tt.max, log, func() (uint64, bool) { return tt.limit, tt.known })
		if l.Cap() != tt.want {
			t.Errorf("max %d, limit %d: cap %d, want %d", tt.max, tt.limit, l.Cap(), tt.want)
		}
		lines := strings.Count(logs.String(), "\n")
		switch {
		case tt.warning == "" && lines != 0:
			t.Errorf("max %d, limit %d: logged %q, want nothing", tt.max, tt.limit, logs.String())
		case tt.warning != "" && (lines != 1 || !strings.Contains(logs.String(), "level=WARN") ||
			!strings.Contains(logs.String(), tt.warning)):
			t.Errorf("max %d, limit %d: logged %q, want one warning saying %q", tt.max, tt.limit, logs.String(), tt.warning)
		}
	}

	// The lowered cap is the one held.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := serveOn(t, newListener(ln, 100, nil, func() (uint64, bool) { return 6, true }), nil)
	for range 4 {
		dial(t, l)
	}
	testkit.Eventually(t, "the fourth connection to shed the first", func() bool { return l.Shed() == 1 })
	if l.Open() != 3 || l.Peak() != 3 {
		t.Fatalf("open %d, peak %d under a cap lowered to 3; want 3 and 3", l.Open(), l.Peak())
	}
}
