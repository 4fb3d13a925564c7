package app

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/wexio/webhooks/internal/config"
	"github.com/wexio/webhooks/internal/testkit"
)

// TestStopCutsSlowRequestsAtTheBound: a client still sending its request
// when the grace period ends is cut off, and the stop is still the clean
// one the contract promises (serve returns nil: exit status 0).
func TestStopCutsSlowRequestsAtTheBound(t *testing.T) {
	t.Parallel()
	s := serveApp(t, func(c *config.Config) { c.Timeouts.ShutdownGrace = 200 * time.Millisecond })
	conn, err := net.Dial("tcp", s.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// The body never comes whole: the request is in flight at the stop. The
	// server asks for the body (100 Continue) once the handler reads it.
	fmt.Fprintf(conn, "POST /query HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: application/json\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n", s.key)
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	if line, err := bufio.NewReader(conn).ReadString('\n'); err != nil || !strings.Contains(line, " 100 ") {
		t.Fatalf("waiting for the server to read the body: %q, %v", line, err)
	}
	fmt.Fprint(conn, `{"query":`)
	s.stop()
	select {
	case err := <-s.done:
		if err != nil {
			t.Fatalf("serve after a bounded stop: %v, want nil (exit 0)", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop within 10 s with a 200 ms grace")
	}
}

// TestStopClosesSocketsGoingAway: a live-tail subscriber's socket is
// closed with 1001 (going away) when the server stops, so its client
// reconnects at once, to a server that runs.
func TestStopClosesSocketsGoingAway(t *testing.T) {
	t.Parallel()
	a := serveApp(t, nil)
	ws, _, err := websocket.DefaultDialer.Dial("ws://"+a.addr+"/query", http.Header{"Sec-WebSocket-Protocol": {"graphql-transport-ws"}})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	_ = ws.WriteJSON(map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer " + a.key}})
	var ack struct{ Type string }
	if err := ws.ReadJSON(&ack); err != nil || ack.Type != "connection_ack" {
		t.Fatalf("connection_init: %+v, %v", ack, err)
	}
	_ = ws.WriteJSON(map[string]any{"type": "subscribe", "id": "1", "payload": map[string]any{"query": tailQuery}})
	testkit.Eventually(t, "the subscription", func() bool { return a.tail.Len() == 1 })
	a.stop()
	_ = ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		_, _, err := ws.ReadMessage()
		if err == nil {
			continue
		}
		var ce *websocket.CloseError
		if !errors.As(err, &ce) || ce.Code != websocket.CloseGoingAway {
			t.Fatalf("the socket ended with %v, want close 1001", err)
		}
		break
	}
	if err := <-a.done; err != nil {
		t.Fatalf("serve: %v", err)
	}
}

// TestHugeHeadersAre431: headers past 64 KB are answered 431 on every
// path, and past the server's own bound (256 KB) by net/http before any
// handler; under 64 KB they are served.
func TestHugeHeadersAre431(t *testing.T) {
	t.Parallel()
	a := serveApp(t, nil)
	for size, want := range map[int]int{300 << 10: http.StatusRequestHeaderFieldsTooLarge,
		70 << 10: http.StatusRequestHeaderFieldsTooLarge, 30 << 10: http.StatusOK} {
		req, _ := http.NewRequest(http.MethodGet, "http://"+a.addr+"/healthz", nil)
		req.Header.Set("X-Flood", strings.Repeat("v", size))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("%d bytes of headers: %d, want %d", size, res.StatusCode, want)
		}
	}
}

// served is an app serving on a free address of its own, as main runs it
// (serve), with the bootstrap key; stop stops it and done gets serve's
// result.
type served struct {
	*app
	addr, key string
	stop      context.CancelFunc
	done      chan error
}

func serveApp(t *testing.T, edit func(*config.Config)) *served {
	t.Helper()
	cfg := config.Default()
	cfg.Addr = freeAddr(t)
	cfg.DatabaseURL = "sqlite://" + filepath.Join(t.TempDir(), "wexio.db")
	cfg.SecretKey = make([]byte, 32)
	if edit != nil {
		edit(&cfg)
	}
	a, err := openApp(context.Background(), cfg, testLogger())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.close() })
	key, _, err := a.auth.Bootstrap(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	t.Cleanup(stop)
	s := &served{app: a, addr: cfg.Addr, key: key, stop: stop, done: make(chan error, 1)}
	go func() { s.done <- a.serve(ctx, io.Discard) }()
	waitReady(t, "http://"+cfg.Addr+"/readyz")
	return s
}
