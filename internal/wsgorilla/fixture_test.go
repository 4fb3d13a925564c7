package wsgorilla_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/wexio/webhooks/internal/wsgorilla"
)

// sdl is the test schema. tick: 1, 2, then nothing until cancelled; auth:
// the init payload's Authorization, then the end of the stream; slow: one
// value, then a SLOW_SUBSCRIBER error that ends the subscription.
const sdl = `
type Query { hello: String! }
type Subscription { tick: Int!  auth: String!  slow: Int! }
`

// fixture is a gqlgen server without generated code (a schema mock, as in
// gqlgen's own testserver) served through wsgorilla by httptest.
type fixture struct {
	url      string
	active   atomic.Int64 // tick pumps still running
	closes   atomic.Int64 // CloseFunc calls
	returned atomic.Int64 // net/http handler calls that returned

	mu   sync.Mutex
	errs []error               // from ErrorFunc
	init transport.InitPayload // the last connection_init payload
}

// newFixture serves ws (Implementation, InitFunc, ErrorFunc and CloseFunc
// are filled in when unset).
func newFixture(t *testing.T, ws transport.Websocket) *fixture {
	t.Helper()
	f := &fixture{}
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: sdl})
	srv := handler.New(&graphql.ExecutableSchemaMock{
		ExecFunc:   f.exec,
		SchemaFunc: func() *ast.Schema { return schema },
		ComplexityFunc: func(context.Context, string, string, int, map[string]any) (int, bool) {
			return 0, false
		},
	})
	if ws.Implementation == nil {
		ws.Implementation = wsgorilla.New()
	}
	if ws.InitFunc == nil {
		ws.InitFunc = func(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
			f.mu.Lock()
			defer f.mu.Unlock()
			f.init = p
			return ctx, nil, nil
		}
	}
	ws.ErrorFunc = func(_ context.Context, err error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.errs = append(f.errs, err)
	}
	ws.CloseFunc = func(context.Context, int) { f.closes.Add(1) }
	srv.AddTransport(ws)
	srv.AddTransport(transport.POST{})

	// Served the way the application serves it: detached once upgraded.
	detached := wsgorilla.Detach(slog.New(slog.DiscardHandler), srv)
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		detached.ServeHTTP(w, r)
		f.returned.Add(1)
	}))
	t.Cleanup(hs.Close)
	f.url = "ws" + strings.TrimPrefix(hs.URL, "http")
	return f
}

func (f *fixture) errors() []error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]error(nil), f.errs...)
}

func (f *fixture) initPayload() transport.InitPayload {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.init
}

func (f *fixture) exec(ctx context.Context) graphql.ResponseHandler {
	op := graphql.GetOperationContext(ctx)
	if op.Operation.Operation != ast.Subscription {
		return graphql.OneShot(&graphql.Response{Data: json.RawMessage(`{"hello":"world"}`)})
	}
	switch field := op.Operation.SelectionSet[0].(*ast.Field).Name; field {
	case "tick":
		return f.tick(ctx)
	case "auth":
		data, _ := json.Marshal(map[string]string{"auth": transport.GetInitPayload(ctx).Authorization()})
		return once(data)
	case "slow":
		return slow()
	default:
		return graphql.OneShot(graphql.ErrorResponse(ctx, "no field %s", field))
	}
}

// tick behaves like a real resolver: a pump goroutine feeds a channel until
// the subscription context ends, and active counts the pumps alive.
func (f *fixture) tick(ctx context.Context) graphql.ResponseHandler {
	ch := make(chan int)
	f.active.Add(1)
	go func() {
		defer f.active.Add(-1)
		defer close(ch)
		for i := 1; i <= 2; i++ {
			select {
			case ch <- i:
			case <-ctx.Done():
				return
			}
		}
		<-ctx.Done()
	}()
	return func(ctx context.Context) *graphql.Response {
		select {
		case v, ok := <-ch:
			if !ok {
				return nil
			}
			return &graphql.Response{Data: fmt.Appendf(nil, `{"tick":%d}`, v)}
		case <-ctx.Done():
			return nil
		}
	}
}

func once(data []byte) graphql.ResponseHandler {
	sent := false
	return func(context.Context) *graphql.Response {
		if sent {
			return nil // end of stream: gqlgen sends complete
		}
		sent = true
		return &graphql.Response{Data: data}
	}
}

// slow shows how a subscription ends with an error of its own: record it
// with transport.AddSubscriptionError, then end the stream (a generated
// resolver ends it by closing its channel).
func slow() graphql.ResponseHandler {
	sent := false
	return func(ctx context.Context) *graphql.Response {
		if !sent {
			sent = true
			return &graphql.Response{Data: json.RawMessage(`{"slow":1}`)}
		}
		transport.AddSubscriptionError(ctx, &gqlerror.Error{
			Message:    "subscriber too slow; read the gap back with webhookLogs",
			Extensions: map[string]any{"code": "SLOW_SUBSCRIBER"},
		})
		return nil
	}
}
