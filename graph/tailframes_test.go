package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/executor"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/livetail"
	"github.com/wexio/webhooks/internal/tenant"
)

func TestFrameCacheEncodesOnceForAll(t *testing.T) {
	t.Parallel()
	c := newFrameCache()
	k := frameKey{row: "log_1", doc: "d"}
	var encodes atomic.Int64
	got := make([]string, 16)
	var wg sync.WaitGroup
	for i := range got {
		wg.Go(func() {
			got[i] = string(c.get(k, func() ([]byte, bool) {
				encodes.Add(1)
				// Long enough for the others to ask meanwhile: they must
				// wait for this encoding, not make their own.
				time.Sleep(20 * time.Millisecond)
				return []byte(`{"id":"log_1"}`), true
			}))
		})
	}
	wg.Wait()
	if n := encodes.Load(); n != 1 {
		t.Fatalf("16 subscribers of one row and document encoded it %d times, want once", n)
	}
	for i, g := range got {
		if g != `{"id":"log_1"}` {
			t.Fatalf("subscriber %d got %q", i, g)
		}
	}
}

func TestFrameCacheLeavesAFrameWithErrorsToEachSubscriber(t *testing.T) {
	t.Parallel()
	c := newFrameCache()
	k := frameKey{row: "log_1", doc: "d"}
	var encodes atomic.Int64
	for i := range 3 {
		got := c.get(k, func() ([]byte, bool) {
			n := encodes.Add(1)
			return fmt.Appendf(nil, `{"n":%d}`, n), false // an error: the subscriber's own
		})
		if want := fmt.Sprintf(`{"n":%d}`, i+1); string(got) != want {
			t.Fatalf("get %d: %s, want its own encoding %s", i, got, want)
		}
	}
}

func TestFrameCacheForgetsTheOldestFrames(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		rows  int
		frame int // bytes
		kept  int
	}{
		{"past its count", frameCacheSize + 1, 1, frameCacheSize},
		{"past its bytes", frameCacheBytes>>20 + 1, 1 << 20, frameCacheBytes >> 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := newFrameCache()
			encodes := 0
			encode := func() ([]byte, bool) { encodes++; return make([]byte, tc.frame), true }
			key := func(i int) frameKey { return frameKey{row: pulid.ID(fmt.Sprint("log_", i)), doc: "d"} }
			for i := range tc.rows {
				c.get(key(i), encode)
			}
			if len(c.frames) != tc.kept || c.bytes != tc.kept*tc.frame {
				t.Fatalf("%d frames of %d bytes kept, want %d", len(c.frames), c.bytes, tc.kept)
			}
			c.get(key(tc.rows-1), encode) // the newest: kept
			c.get(key(0), encode)         // the oldest: gone
			if encodes != tc.rows+1 {
				t.Fatalf("%d encodings, want %d: the newest frame kept, the oldest encoded again", encodes, tc.rows+1)
			}
		})
	}
}

// TestTailSubscribersShareFramesOfOneDocument: subscribers of one document
// and variables get the same bytes for a row, encoded once; another
// document, or other variables, gets its own, and each its own answer.
func TestTailSubscribersShareFramesOfOneDocument(t *testing.T) {
	t.Parallel()
	broker := livetail.NewBroker[*ent.WebhookLog]()
	schema := NewSchema(&Resolver{Tail: broker}).(*tailSchema)
	ctx, cancel := context.WithCancel(tenant.WithWorkspace(context.Background(), "ws_1"))
	defer cancel()
	const doc = `subscription($body: Boolean!) { webhookLogTail { id request { body @include(if: $body) } } }`
	const other = `subscription { t: webhookLogTail { outcome id } }`
	subs := []struct {
		query string
		vars  map[string]any
		want  string // of row log_N, $N its number
	}{
		{doc, map[string]any{"body": true}, `{"webhookLogTail":{"id":"log_$N","request":{"body":"b$N"}}}`},
		{doc, map[string]any{"body": true}, `{"webhookLogTail":{"id":"log_$N","request":{"body":"b$N"}}}`},
		{doc, map[string]any{"body": true}, `{"webhookLogTail":{"id":"log_$N","request":{"body":"b$N"}}}`},
		{doc, map[string]any{"body": false}, `{"webhookLogTail":{"id":"log_$N","request":{}}}`},
		{other, nil, `{"t":{"outcome":"SUCCEEDED","id":"log_$N"}}`},
	}
	streams := make([]graphql.ResponseHandler, len(subs))
	for i, s := range subs {
		streams[i] = subscribe(t, schema, ctx, broker, i+1, s.query, s.vars)
	}
	for n := 1; n <= 2; n++ {
		broker.Publish(&ent.WebhookLog{ID: pulid.ID(fmt.Sprintf("log_%d", n)), WorkspaceID: "ws_1",
			Outcome: schematype.OutcomeSucceeded, Request: schematype.HTTPMessage{Body: fmt.Sprintf("b%d", n)}})
		for i, s := range subs {
			r := streams[i](ctx)
			if r == nil || len(r.Errors) != 0 {
				t.Fatalf("subscriber %d, row %d: %+v", i, n, r)
			}
			want := strings.ReplaceAll(s.want, "$N", strconv.Itoa(n))
			if string(r.Data) != want || !json.Valid(r.Data) {
				t.Fatalf("subscriber %d, row %d: %s, want %s", i, n, r.Data, want)
			}
		}
	}
	// Two rows, each encoded once for each of three documents with their
	// variables, not once for each of five subscribers.
	if n := len(schema.frames.frames); n != 6 {
		t.Fatalf("%d frames encoded, want 6", n)
	}
}

// subscribe starts a subscription and waits until the broker holds it
// (want subscribers in all).
func subscribe(t *testing.T, schema graphql.ExecutableSchema, ctx context.Context, broker *livetail.Broker[*ent.WebhookLog], want int, query string, vars map[string]any) graphql.ResponseHandler {
	t.Helper()
	exec := executor.New(schema)
	ctx = graphql.StartOperationTrace(ctx)
	opCtx, errs := exec.CreateOperationContext(ctx, &graphql.RawParams{Query: query, Variables: vars})
	if errs != nil {
		t.Fatalf("%s: %v", query, errs)
	}
	next, ctx := exec.DispatchOperation(ctx, opCtx)
	if broker.Len() != want {
		t.Fatalf("%d subscribers, want %d", broker.Len(), want)
	}
	return func(context.Context) *graphql.Response { return next(ctx) }
}

// TestTailFramesStayInTheirWorkspace: subscribers of two workspaces with
// the same document and variables each get their own workspace's rows
// only; a shared frame is a row's, and a row reaches its workspace alone.
func TestTailFramesStayInTheirWorkspace(t *testing.T) {
	t.Parallel()
	broker := livetail.NewBroker[*ent.WebhookLog]()
	schema := NewSchema(&Resolver{Tail: broker})
	const doc = `subscription { webhookLogTail { id request { body } } }`
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	streams := map[string]graphql.ResponseHandler{}
	for i, ws := range []string{"ws_a", "ws_b"} {
		streams[ws] = subscribe(t, schema, tenant.WithWorkspace(ctx, ws), broker, i+1, doc, nil)
	}
	// Rows of both, in turn: a row of the other workspace would come
	// between a subscriber's own two.
	for n := 1; n <= 2; n++ {
		for _, ws := range []string{"ws_a", "ws_b"} {
			broker.Publish(&ent.WebhookLog{ID: pulid.ID(fmt.Sprintf("log_%s_%d", ws, n)), WorkspaceID: pulid.ID(ws),
				Request: schematype.HTTPMessage{Body: "of " + ws}})
		}
	}
	for ws, next := range streams {
		for n := 1; n <= 2; n++ {
			r := next(ctx)
			want := fmt.Sprintf(`{"webhookLogTail":{"id":"log_%s_%d","request":{"body":"of %s"}}}`, ws, n, ws)
			if r == nil || string(r.Data) != want {
				t.Fatalf("%s's subscriber, frame %d: %+v, want %s", ws, n, r, want)
			}
		}
	}
}
