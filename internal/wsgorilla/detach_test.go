package wsgorilla_test

import (
	"bytes"
	"io"
	stdlog "log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/gorilla/websocket"

	"github.com/wexio/webhooks/internal/testkit"
	"github.com/wexio/webhooks/internal/wsgorilla"
)

// TestDetachReturnsOnUpgrade: net/http's handler returns once the socket is
// upgraded, and the subscription lives on without it.
func TestDetachReturnsOnUpgrade(t *testing.T) {
	t.Parallel()
	f := newFixture(t, transport.Websocket{})
	c := dial(t, f.url, nil, transportWS)
	c.init(nil)
	testkit.Eventually(t, "the HTTP handler to return", func() bool { return f.returned.Load() == 1 })

	c.send("subscribe", "1", map[string]string{"query": "subscription { tick }"})
	c.expectData("next", "1", `{"data":{"tick":1}}`)
	c.expectData("next", "1", `{"data":{"tick":2}}`)
	c.send("complete", "1", nil)
	c.expect("complete", "1")
	testkit.Eventually(t, "the resolver's pump to end", func() bool { return f.active.Load() == 0 })
}

// TestDetachPassesPlainRequests: requests that are not upgrades are served
// on net/http's goroutine, as without Detach.
func TestDetachPassesPlainRequests(t *testing.T) {
	t.Parallel()
	f := newFixture(t, transport.Websocket{})
	url := "http" + strings.TrimPrefix(f.url, "ws")
	before := f.returned.Load()
	resp, err := http.Post(url, "application/json", strings.NewReader(`{"query":"{ hello }"}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if !strings.Contains(string(body), "hello") {
		t.Fatalf("body %s", body)
	}
	if got := f.returned.Load() - before; got != 1 {
		t.Fatalf("%d handler returns for one request", got)
	}
}

// lockedBuffer is a log sink safe for the server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestDetachPanics: a panic before the hijack reaches net/http, which drops
// that request; one after it is logged. The server serves on either way.
func TestDetachPanics(t *testing.T) {
	t.Parallel()
	var logs lockedBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	up := websocket.Upgrader{}
	h := wsgorilla.Detach(log, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("late") == "" {
			panic("before the hijack")
		}
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		panic("after the hijack")
	}))
	srv := httptest.NewUnstartedServer(h)
	var httpLog lockedBuffer
	srv.Config.ErrorLog = stdlog.New(&httpLog, "", 0)
	srv.Start()
	t.Cleanup(srv.Close)
	ws := "ws" + strings.TrimPrefix(srv.URL, "http")

	if _, _, err := websocket.DefaultDialer.Dial(ws, nil); err == nil {
		t.Fatal("handshake succeeded although the handler panicked before upgrading")
	}
	testkit.Eventually(t, "net/http to report the early panic", func() bool {
		return strings.Contains(httpLog.String(), "before the hijack")
	})

	c, _, err := websocket.DefaultDialer.Dial(ws+"?late=1", nil)
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	defer c.Close()
	if _, _, err := c.ReadMessage(); err == nil {
		t.Fatal("the panicked connection stayed open")
	}
	testkit.Eventually(t, "the late panic to be logged", func() bool {
		return strings.Contains(logs.String(), "websocket connection panicked") &&
			strings.Contains(logs.String(), "after the hijack")
	})
	if strings.Contains(httpLog.String(), "after the hijack") {
		t.Fatal("the late panic reached net/http")
	}
}
