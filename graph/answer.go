package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/wexio/webhooks/ent/schema/pulid"
)

// MaxAnswerBytes bounds the answer to one query or mutation. gqlgen
// resolves the whole answer before it writes a byte of it, so an answer's
// size is memory held until it is written, and written once more while
// encoded: 9 pages of 500 logs with 100 KB bodies made a 461 MB answer and
// 3.7 GB of heap.
const MaxAnswerBytes = 16 << 20

// CodeResponseTooLarge is the code of an operation whose answer grew past
// MaxAnswerBytes.
const CodeResponseTooLarge = "RESPONSE_TOO_LARGE"

// AnswerBudget is the gqlgen extension that stops an operation whose
// answer grows past its budget, and an operation whose client has gone.
//
// After each field resolves, the size its value will take in the answer
// is added to the operation's count: exact for strings and raw JSON,
// walked for the JSON scalar's maps and lists, a small constant for
// anything else (an object's own fields are counted as they resolve).
// Past the budget the operation's context is cancelled, so database
// queries under way stop, no further field resolves, and the answer is one
// RESPONSE_TOO_LARGE error with "data": null: nothing partial (a mutation
// is rolled back). When the client goes away, the request's context ends
// and no further field resolves either. Subscriptions are not counted:
// each event is a frame of its own, and small.
//
// The check is a look at the context, an atomic add and a type switch per
// field.
type AnswerBudget struct {
	// Max is the budget in bytes; 0 is MaxAnswerBytes.
	Max int64
}

var (
	_ graphql.HandlerExtension        = AnswerBudget{}
	_ graphql.OperationContextMutator = AnswerBudget{}
	_ graphql.ResponseInterceptor     = AnswerBudget{}
)

const answerBudgetName = "AnswerBudget"

// ExtensionName implements graphql.HandlerExtension.
func (AnswerBudget) ExtensionName() string { return answerBudgetName }

// Validate implements graphql.HandlerExtension.
func (AnswerBudget) Validate(graphql.ExecutableSchema) error { return nil }

// answerBudget is one operation's count.
type answerBudget struct {
	max      int64
	used     atomic.Int64
	exceeded atomic.Bool
	// ctx is the operation's context and cancel ends it; both are set
	// before any field resolves. A field asks ctx, not its own context,
	// whether to go on: its own is a dozen contexts deep, each a step to
	// walk on every field.
	ctx    context.Context
	cancel context.CancelCauseFunc
}

// errStopped is what a field answers once its operation was stopped.
var errStopped = stoppedError{}

type stoppedError struct{}

func (stoppedError) Error() string { return "operation stopped" }

// errAnswerTooLarge is the cause the operation's context is cancelled with.
var errAnswerTooLarge = errors.New("answer over its size budget")

// MutateOperationContext implements graphql.OperationContextMutator: the
// count is kept by the operation's own field middleware, so a field finds
// it without a context lookup.
func (a AnswerBudget) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil || oc.Operation.Operation == ast.Subscription {
		return nil
	}
	b := &answerBudget{max: a.Max, ctx: context.Background(), cancel: func(error) {}}
	if b.max <= 0 {
		b.max = MaxAnswerBytes
	}
	oc.Stats.SetExtension(answerBudgetName, b)
	inner := oc.ResolverMiddleware
	oc.ResolverMiddleware = func(ctx context.Context, next graphql.Resolver) (any, error) {
		// Done: the client went away (net/http cancels the request's
		// context, and this one with it), or the answer grew too large.
		if b.ctx.Err() != nil {
			return nil, errStopped
		}
		res, err := inner(ctx, next)
		if err != nil {
			return res, err
		}
		alias := ""
		if fc := graphql.GetFieldContext(ctx); fc != nil {
			alias = fc.Field.Alias
		}
		if b.used.Add(int64(len(alias))+4+answerBytes(res)) > b.max && b.exceeded.CompareAndSwap(false, true) {
			b.cancel(errAnswerTooLarge)
		}
		return res, nil
	}
	return nil
}

// InterceptResponse implements graphql.ResponseInterceptor.
func (AnswerBudget) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	if !graphql.HasOperationContext(ctx) {
		return next(ctx)
	}
	b, _ := graphql.GetOperationContext(ctx).Stats.GetExtension(answerBudgetName).(*answerBudget)
	if b == nil {
		return next(ctx)
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	b.ctx, b.cancel = ctx, cancel
	resp := next(ctx)
	if !b.exceeded.Load() {
		return resp
	}
	return &graphql.Response{Errors: gqlerror.List{{
		Message: fmt.Sprintf("the answer would be larger than %d MiB: ask for smaller pages (first/last) "+
			"or fewer fields, and page through the rest", b.max>>20),
		Extensions: map[string]any{"code": CodeResponseTooLarge, "limit": b.max},
	}}}
}

// answerBytes is the size v takes in the answer, its name aside.
func answerBytes(v any) int64 {
	switch x := v.(type) {
	case nil:
		return 4
	case string:
		return quotedBytes(x, false)
	case *string:
		if x == nil {
			return 4
		}
		return quotedBytes(*x, false)
	case json.RawMessage:
		return int64(len(x))
	case []byte:
		return int64(len(x))
	case pulid.ID:
		return int64(len(x)) + 2
	case *pulid.ID:
		if x == nil {
			return 4
		}
		return int64(len(*x)) + 2
	case map[string]any, []any:
		return jsonBytes(x)
	case time.Time, *time.Time:
		return 32 // RFC 3339 with nanoseconds, quoted
	case int, int64, float64, bool, *int:
		return 8
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.String {
		return int64(rv.Len()) + 2 // an enum
	}
	return 16 // an object or a list, whose fields count themselves
}

// jsonBytes is the size of a JSON scalar's value as encoding/json writes
// it (gqlgen's JSON scalar).
func jsonBytes(v any) int64 {
	switch x := v.(type) {
	case nil:
		return 4
	case string:
		return quotedBytes(x, true)
	case map[string]any:
		n := int64(2)
		for k, e := range x {
			n += quotedBytes(k, true) + 2 + jsonBytes(e)
		}
		return n
	case []any:
		n := int64(2)
		for _, e := range x {
			n += 1 + jsonBytes(e)
		}
		return n
	case json.Number:
		return int64(len(x))
	case json.RawMessage:
		return int64(len(x))
	default:
		return 8 // a bool or a float
	}
}

// quotedBytes is the size of s quoted in JSON: gqlgen escapes control
// characters, quotes and backslashes; encoding/json (html) also <, > and
// &, and writes invalid UTF-8 as \ufffd.
func quotedBytes(s string, html bool) int64 {
	n := int64(len(s)) + 2
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t':
			n++
		case c < 0x20:
			n += 5
		case html && (c == '<' || c == '>' || c == '&'):
			n += 5
		case html && c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				n += 5
			} else if r == '\u2028' || r == '\u2029' {
				n += 3
			}
			i += size - 1
		}
	}
	return n
}
