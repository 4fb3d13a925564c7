package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
)

// tailSchema is the executable schema with the live tail's frames shared:
// every subscriber of webhookLogTail receives the same *ent.WebhookLog for
// a row (livetail.Broker), and those who subscribed with the same document
// and variables would each resolve and encode it to the same bytes. gqlgen
// does that once per subscriber, the larger part of a frame's CPU with
// 100 dashboards on one webhook; here the first subscriber to reach a row
// encodes it and the others take its bytes (frameCache). Everything around
// the row's fields is each subscriber's own, as gqlgen does it: the
// resolver call with its field interceptors, the errors, the response
// interceptors, the transport.
type tailSchema struct {
	*executableSchema
	frames *frameCache
}

// Exec implements graphql.ExecutableSchema.
func (s *tailSchema) Exec(ctx context.Context) graphql.ResponseHandler {
	opCtx := graphql.GetOperationContext(ctx)
	if opCtx.Operation.Operation != ast.Subscription {
		return s.executableSchema.Exec(ctx)
	}
	fields := graphql.CollectFields(opCtx, opCtx.Operation.SelectionSet, subscriptionImplementors)
	if len(fields) != 1 || fields[0].Name != "webhookLogTail" {
		return s.executableSchema.Exec(ctx) // gqlgen's own error
	}
	vars, err := json.Marshal(opCtx.Variables) // map keys sorted: one text per set of values
	if err != nil {
		return s.executableSchema.Exec(ctx)
	}
	doc := opCtx.OperationName + "\x00" + string(vars) + "\x00" + opCtx.RawQuery
	ec := newExecutionContext(opCtx, s.executableSchema, nil)
	ctx = graphql.WithFieldContext(ctx, &graphql.FieldContext{Object: "Subscription"})
	rows, ctx := ec.tailRows(ctx, fields[0])
	if rows == nil {
		return func(context.Context) *graphql.Response { return nil }
	}
	field := fields[0]
	var buf bytes.Buffer
	return func(next context.Context) *graphql.Response {
		var row *ent.WebhookLog
		select {
		case r, ok := <-rows:
			if !ok {
				return nil
			}
			row = r
		case <-next.Done():
			return nil
		}
		encode := func() ([]byte, bool) {
			// As gqlgen's stream: the row's fields resolve in the field's
			// context, and their errors go to the subscription's.
			errs := len(graphql.GetErrors(ctx))
			var b bytes.Buffer
			ec.marshalNWebhookLog2ᚖgithubᚗcomᚋwexioᚋwebhooksᚋentᚐWebhookLog(ctx, field.Selections, row).MarshalGQL(&b)
			return b.Bytes(), len(graphql.GetErrors(ctx)) == errs
		}
		var data []byte
		if row == nil { // never published; gqlgen's error all the same
			data, _ = encode()
		} else {
			data = s.frames.get(frameKey{row: row.ID, doc: doc}, encode)
		}
		buf.Reset()
		buf.WriteByte('{')
		graphql.MarshalString(field.Alias).MarshalGQL(&buf)
		buf.WriteByte(':')
		buf.Write(data)
		buf.WriteByte('}')
		return &graphql.Response{Data: buf.Bytes()}
	}
}

// tailRows calls webhookLogTail's resolver as gqlgen's stream would:
// arguments, field interceptors, errors, a panic recovered. It returns the
// rows, nil after an error (recorded), and the context the rows' fields
// resolve in.
func (ec *executionContext) tailRows(ctx context.Context, field graphql.CollectedField) (rows <-chan *ent.WebhookLog, _ context.Context) {
	fc, err := ec.fieldContext_Subscription_webhookLogTail(ctx, field)
	if err != nil {
		return nil, ctx
	}
	ctx = graphql.WithFieldContext(ctx, fc)
	defer func() {
		if r := recover(); r != nil {
			ec.Error(ctx, ec.Recover(ctx, r))
			rows = nil
		}
	}()
	res, err := ec.ResolverMiddleware(ctx, func(rctx context.Context) (any, error) {
		ctx = rctx // the interceptors' context, for the fields
		return ec.Resolvers.Subscription().WebhookLogTail(rctx, fc.Args["webhookId"].(*pulid.ID), fc.Args["direction"].(*schematype.Direction))
	})
	if err != nil {
		ec.Error(ctx, graphql.AddFieldLocationToError(ctx, err))
		return nil, ctx
	}
	if res == nil {
		graphql.AddInvalidNullError(ctx, "")
		return nil, ctx
	}
	rows, ok := res.(<-chan *ent.WebhookLog)
	if !ok {
		ec.Errorf(ctx, "unexpected type %T from middleware/directive chain, should be <-chan *ent.WebhookLog", res)
		return nil, ctx
	}
	fc.Result = rows
	return rows, ctx
}

// frameCacheSize and frameCacheBytes bound the frames kept: a row's frame
// is wanted by its subscribers within the 256 rows each may fall behind
// (livetail's buffer), so a few thousand cover many documents at once, and
// rows with large bodies are kept fewer. Past either bound the oldest go;
// a subscriber that still wants one encodes it again.
const (
	frameCacheSize  = 4096
	frameCacheBytes = 32 << 20
)

// frameKey is a row (its id: the cache does not hold the row itself) as
// one document, with its variables, asks for it.
type frameKey struct {
	row pulid.ID
	doc string
}

// frameCache keeps the latest rows' frames, each encoded once.
type frameCache struct {
	mu     sync.Mutex
	frames map[frameKey]*frame
	ring   [frameCacheSize]frameKey // insertion order, from oldest
	oldest int
	n      int
	bytes  int // of the frames kept
}

// frame is a row's encoding for one document: data nil when it carried an
// error, which is the subscriber's own, so each encodes the row itself.
type frame struct {
	once sync.Once
	data []byte // set under frameCache.mu, within once
}

func newFrameCache() *frameCache {
	return &frameCache{frames: make(map[frameKey]*frame, frameCacheSize)}
}

// get returns k's frame, encoding it with encode unless another subscriber
// did (or does: get then waits for it). encode reports whether its bytes
// may be shared.
func (c *frameCache) get(k frameKey, encode func() ([]byte, bool)) []byte {
	c.mu.Lock()
	f := c.frames[k]
	if f == nil {
		if c.n == frameCacheSize {
			c.evictOldest()
		}
		f = &frame{}
		c.frames[k] = f
		c.ring[(c.oldest+c.n)%frameCacheSize] = k
		c.n++
	}
	c.mu.Unlock()
	var mine []byte
	encoded := false
	f.once.Do(func() {
		b, shared := encode()
		mine, encoded = b, true
		if shared {
			c.keep(k, f, b)
		}
	})
	switch {
	case encoded:
		return mine
	case f.data != nil:
		return f.data
	}
	b, _ := encode()
	return b
}

// keep makes b f's shared frame, counts it in the bytes kept should f
// still be kept, and lets the oldest frames go while they are over
// frameCacheBytes.
func (c *frameCache) keep(k frameKey, f *frame, b []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f.data = b
	if c.frames[k] != f {
		return // gone already
	}
	c.bytes += len(b)
	for c.bytes > frameCacheBytes && c.n > 0 {
		c.evictOldest()
	}
}

func (c *frameCache) evictOldest() {
	k := c.ring[c.oldest]
	c.ring[c.oldest] = frameKey{}
	c.oldest = (c.oldest + 1) % frameCacheSize
	c.n--
	if f := c.frames[k]; f != nil {
		c.bytes -= len(f.data) // 0 while it is being encoded: counted by keep
		delete(c.frames, k)
	}
}
