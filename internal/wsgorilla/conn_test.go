package wsgorilla

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/gorilla/websocket"
)

// serve accepts one connection with Gorilla and hands it to use, returning
// the client end.
func serve(t *testing.T, use func(transport.WebsocketConn)) *websocket.Conn {
	t.Helper()
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := New().Accept(w, r, transport.WebsocketAcceptOptions{ResponseHeader: http.Header{}})
		if err != nil {
			t.Errorf("accepting: %v", err)
			return
		}
		defer c.Close()
		use(c)
	}))
	t.Cleanup(hs.Close)
	ws, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(hs.URL, "http"), nil)
	if err != nil {
		t.Fatalf("dialing: %v", err)
	}
	_ = resp.Body.Close()
	t.Cleanup(func() { _ = ws.Close() })
	return ws
}

func TestNextReaderMapsNormalCloses(t *testing.T) {
	t.Parallel()
	cases := []struct {
		code       int
		wantClosed bool // errors.Is(err, transport.ErrWebsocketClosed)
	}{
		{websocket.CloseNormalClosure, true},
		{websocket.CloseNoStatusReceived, true}, // an empty close frame
		{websocket.CloseGoingAway, false},
		{4000, false},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.code), func(t *testing.T) {
			t.Parallel()
			errc := make(chan error, 1)
			ws := serve(t, func(c transport.WebsocketConn) {
				_, _, err := c.NextReader()
				errc <- err
			})
			msg := websocket.FormatCloseMessage(tc.code, "")
			if err := ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second)); err != nil {
				t.Fatal(err)
			}
			err := <-errc
			if got := errors.Is(err, transport.ErrWebsocketClosed); got != tc.wantClosed {
				t.Fatalf("code %d: errors.Is(%v, ErrWebsocketClosed) = %v, want %v", tc.code, err, got, tc.wantClosed)
			}
			var ce *websocket.CloseError
			if !errors.As(err, &ce) || ce.Code != tc.code {
				t.Fatalf("code %d: the *websocket.CloseError is not reachable from %v", tc.code, err)
			}
		})
	}
}

func TestWriteCloseTruncatesLongReason(t *testing.T) {
	t.Parallel()
	reason := strings.Repeat("é", 100) // 200 bytes: over a control frame's room
	ws := serve(t, func(c transport.WebsocketConn) {
		if err := c.WriteClose(4403, reason); err != nil {
			t.Errorf("WriteClose: %v", err)
		}
	})
	_, _, err := ws.ReadMessage()
	var ce *websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != 4403 || ce.Text != strings.Repeat("é", 61) {
		t.Fatalf("got %v, want close 4403 with the reason cut to 122 bytes", err)
	}
}

// TestConcurrentWriteJSON: gorilla panics on concurrent writers; the
// adapter's lock must make this safe (and race-clean).
func TestConcurrentWriteJSON(t *testing.T) {
	t.Parallel()
	const writers, each = 8, 50
	ws := serve(t, func(c transport.WebsocketConn) {
		var wg sync.WaitGroup
		for w := range writers {
			wg.Go(func() {
				for i := range each {
					if err := c.WriteJSON(map[string]int{"w": w, "i": i}); err != nil {
						t.Errorf("WriteJSON: %v", err)
						return
					}
				}
			})
		}
		wg.Wait()
		_ = c.WriteClose(websocket.CloseNormalClosure, "done")
	})
	n := 0
	for {
		var v map[string]int
		if err := ws.ReadJSON(&v); err != nil {
			if !websocket.IsCloseError(err, websocket.CloseNormalClosure) {
				t.Fatalf("reading: %v", err)
			}
			break
		}
		n++
	}
	if n != writers*each {
		t.Fatalf("received %d messages, want %d", n, writers*each)
	}
}

func TestTruncate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		n    int
		want string
	}{
		{"abc", 5, "abc"},
		{"abcdef", 3, "abc"},
		{"aé", 2, "a"}, // é is two bytes: never cut in half
		{"éé", 3, "é"},
	}
	for _, tc := range cases {
		if got := truncate(tc.in, tc.n); got != tc.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}
