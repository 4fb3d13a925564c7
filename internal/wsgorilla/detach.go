package wsgorilla

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"sync"

	"github.com/gorilla/websocket"
)

// Detach serves WebSocket upgrade requests on a goroutine of their own and
// returns to net/http as soon as the connection is hijacked; other requests
// go to next as they are.
//
// gqlgen runs a WebSocket connection's read loop inside the HTTP handler, so
// without Detach net/http's per-connection state lives as long as the
// subscription, which may be days: the connection's 4 KiB write buffer, the
// response's buffers, the request's allocations and a goroutine stack grown
// deep by the middleware chain. Released, an idle subscriber costs about a
// sixth less (55.8 to 46.2 KB in the root package's BenchmarkTailIdleMemory).
//
// The detached request's context is not cancelled when net/http's handler
// returns (that happens right after the hijack); gqlgen cancels its own
// child context when the connection closes. A panic before the hijack is
// re-raised on net/http's goroutine, which answers it as usual; one after it
// is logged, and only that connection is lost.
func Detach(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hj, ok := w.(http.Hijacker)
		if !ok || !websocket.IsWebSocketUpgrade(r) {
			next.ServeHTTP(w, r)
			return
		}
		dw := &detached{w: w, hj: hj, hijacked: make(chan struct{})}
		r = r.WithContext(context.WithoutCancel(r.Context()))
		done := make(chan any, 1)
		go func() {
			defer func() {
				p := recover()
				if p != nil && dw.wasHijacked() && !errors.Is(asError(p), http.ErrAbortHandler) {
					log.Error("websocket connection panicked", "panic", p, "stack", string(debug.Stack()))
				}
				done <- p
			}()
			next.ServeHTTP(dw, r)
		}()
		select {
		case p := <-done:
			if p != nil && !dw.wasHijacked() {
				panic(p)
			}
		case <-dw.hijacked:
		}
	})
}

func asError(p any) error {
	if err, ok := p.(error); ok {
		return err
	}
	return nil
}

// detached is the ResponseWriter of a detached request. Once hijacked it lets
// go of net/http's writer, so that the connection's server state can be
// collected, and refuses further writes as net/http itself would.
type detached struct {
	hj       http.Hijacker
	hijacked chan struct{}

	mu sync.Mutex
	w  http.ResponseWriter // nil once hijacked
}

var _ http.Hijacker = (*detached)(nil)

func (d *detached) writer() http.ResponseWriter {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.w
}

func (d *detached) wasHijacked() bool { return d.writer() == nil }

func (d *detached) Header() http.Header {
	if w := d.writer(); w != nil {
		return w.Header()
	}
	return http.Header{}
}

func (d *detached) Write(p []byte) (int, error) {
	if w := d.writer(); w != nil {
		return w.Write(p)
	}
	return 0, http.ErrHijacked
}

func (d *detached) WriteHeader(code int) {
	if w := d.writer(); w != nil {
		w.WriteHeader(code)
	}
}

// Hijack hands the connection over and wakes net/http's goroutine, which
// then returns.
func (d *detached) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.w == nil {
		return nil, nil, http.ErrHijacked
	}
	c, rw, err := d.hj.Hijack()
	if err != nil {
		return nil, nil, fmt.Errorf("hijacking: %w", err)
	}
	d.w, d.hj = nil, nil
	close(d.hijacked)
	return c, rw, nil
}
