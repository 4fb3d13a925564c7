package graph

import (
	"context"
	"encoding/json"
	"log/slog"
	"math"
	"mime"
	"net/http"
	"time"

	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/gorilla/websocket"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/internal/wsgorilla"
)

// MaxRequestBytes bounds a GraphQL request body: operations and their
// variables are small, and gqlgen reads a body whole before parsing it. A
// body declared larger is refused with 413; one that grows past it while
// read (chunked) ends in gqlgen's "could not get json request body" error.
const MaxRequestBytes = 1 << 20

// HandlerOptions configures the GraphQL HTTP handler.
type HandlerOptions struct {
	Log *slog.Logger
	// Write is the client mutations run their transaction on.
	Write *ent.Client
	// InitFunc authenticates a WebSocket connection_init payload.
	InitFunc transport.WebsocketInitFunc
	// KeepAlive is the WebSocket ping interval.
	KeepAlive time.Duration
	// InitTimeout closes a WebSocket that has not sent connection_init
	// in time: before it, the socket is unauthenticated.
	InitTimeout time.Duration
	// Allow, when set, takes one request of the allowance of ctx's API
	// key for each operation started over a WebSocket (plain HTTP requests
	// are counted before they get here, auth.Service.Middleware).
	Allow func(ctx context.Context) (ok bool, retryAfter time.Duration)
	// Sockets, when set, keeps the open WebSocket connections, for the
	// server to close them when it stops.
	Sockets *wsgorilla.Sockets
	// MaxAnswerBytes bounds an answer (AnswerBudget); 0 is MaxAnswerBytes.
	MaxAnswerBytes int64

	// noAnswerBudget leaves AnswerBudget out, for a benchmark to weigh it.
	noAnswerBudget bool
}

// NewHandler returns the /query handler: POST and GET over HTTP, both
// WebSocket subprotocols, introspection for tools, persisted queries, a
// complexity limit, and one transaction per mutation. WebSocket connections
// are detached from net/http once upgraded (wsgorilla.Detach).
func NewHandler(schema graphql.ExecutableSchema, opts HandlerOptions) http.Handler {
	srv := handler.New(schema)
	srv.AddTransport(transport.Websocket{
		KeepAlivePingInterval: opts.KeepAlive, // legacy graphql-ws "ka" frames
		PingPongInterval:      opts.KeepAlive, // graphql-transport-ws ping/pong
		InitFunc:              opts.InitFunc,
		InitTimeout:           opts.InitTimeout,
		// Keys travel in connection_init, never as cookies, so a page on
		// another origin gains nothing a script could not do itself: dashboards
		// may be served from anywhere.
		Implementation: wsgorilla.New(wsgorilla.WithAllowAllOrigins(), wsgorilla.WithSockets(opts.Sockets)),
	})
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(newBytesCache(maxParsedQueryBytes, func(query string, _ *ast.QueryDocument) int { return len(query) }))
	// First: a document past DocumentLimits is refused before anything
	// reads it, and never reaches the persisted-query cache. The parser's
	// own token limit is a second line behind it.
	srv.Use(DocumentLimits{})
	srv.SetParserTokenLimit(MaxQueryTokens)
	srv.SetValidationRulesFn(validationRules)
	srv.Use(extension.Introspection{})
	srv.Use(extension.AutomaticPersistedQuery{Cache: newBytesCache(maxPersistedQueryBytes,
		func(hash, query string) int { return len(hash) + len(query) })})
	srv.Use(Cost{})
	srv.Use(FilterLimits{})
	srv.Use(Requests{})
	srv.Use(transactioner{entgql.Transactioner{TxOpener: opts.Write}})
	// After the transaction's: an answer replaced for its size has an
	// error, and the mutation is rolled back.
	if !opts.noAnswerBudget {
		srv.Use(AnswerBudget{Max: opts.MaxAnswerBytes})
	}
	srv.AroundOperations(subscriptionsOverWebSocket)
	srv.AroundOperations(withLoaders)
	srv.AroundResponses(logOperation(opts.Log))
	if opts.Allow != nil {
		srv.AroundOperations(rateLimitSockets(opts.Allow))
	}
	srv.SetErrorPresenter(ErrorPresenter(opts.Log))
	srv.SetRecoverFunc(func(ctx context.Context, p any) error {
		opts.Log.ErrorContext(ctx, "resolver panic", "panic", p)
		return errInternal
	})
	plain := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case websocket.IsWebSocketUpgrade(r):
		case r.Method != http.MethodGet && r.Method != http.MethodPost && r.Method != http.MethodOptions:
			// gqlgen answers 400 "transport not supported"; the method is what is wrong.
			w.Header().Set("Allow", "GET, POST, OPTIONS")
			refuse(w, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "method not allowed: use GET or POST")
			return
		case r.Method == http.MethodPost && !isJSON(r.Header.Get("Content-Type")):
			// gqlgen answers 400 "transport not supported".
			refuse(w, http.StatusUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE",
				`send the operation as JSON: Content-Type: application/json, body {"query": "...", "variables": {...}}`)
			return
		case r.ContentLength > MaxRequestBytes:
			refuse(w, http.StatusRequestEntityTooLarge, "REQUEST_TOO_LARGE", "request body over 1 MiB")
			return
		default:
			r = r.WithContext(context.WithValue(r.Context(), overPlainHTTP{}, true))
			r.Body = http.MaxBytesReader(w, r.Body, MaxRequestBytes)
		}
		srv.ServeHTTP(w, r)
	})
	return wsgorilla.Detach(opts.Log, plain)
}

// isJSON reports whether a Content-Type names JSON (application/json,
// with or without parameters).
func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "application/json"
}

// refuse answers a request gqlgen is not given, as a GraphQL error.
func refuse(w http.ResponseWriter, status int, code, msg string) {
	body, _ := json.Marshal(graphql.Response{Errors: gqlerror.List{{Message: msg, Extensions: map[string]any{"code": code}}}})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// rateLimitSockets refuses an operation started over a WebSocket past its
// key's rate, with RATE_LIMITED and the seconds to wait.
func rateLimitSockets(allow func(context.Context) (bool, time.Duration)) graphql.OperationMiddleware {
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		if plain, _ := ctx.Value(overPlainHTTP{}).(bool); plain {
			return next(ctx)
		}
		if ok, wait := allow(ctx); !ok {
			return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{{
				Message:    "rate limit of this API key reached; retry later",
				Extensions: map[string]any{"code": CodeRateLimited, "retryAfterSeconds": max(int(math.Ceil(wait.Seconds())), 1)},
			}}})
		}
		return next(ctx)
	}
}

// CodeRateLimited is the code of an operation past its key's rate.
const CodeRateLimited = "RATE_LIMITED"

// logOperation logs each query and mutation at debug level: its kind, its
// name as the client gave it, its errors and how long it took. Never its
// variables, which carry secrets (createInboundWebhook's, rotations').
// Subscriptions answer once per event: they are not logged per frame.
func logOperation(log *slog.Logger) graphql.ResponseMiddleware {
	return func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		began := time.Now()
		resp := next(ctx)
		if !log.Enabled(ctx, slog.LevelDebug) || !graphql.HasOperationContext(ctx) {
			return resp
		}
		oc := graphql.GetOperationContext(ctx)
		if oc.Operation == nil || oc.Operation.Operation == ast.Subscription {
			return resp
		}
		errs := 0
		if resp != nil {
			errs = len(resp.Errors)
		}
		name := oc.OperationName
		if len(name) > 100 {
			name = name[:100]
		}
		log.DebugContext(ctx, "graphql operation", "operation", string(oc.Operation.Operation), "name", name,
			"errors", errs, "duration_ms", time.Since(began).Milliseconds())
		return resp
	}
}

// overPlainHTTP marks an operation that came as one HTTP request.
type overPlainHTTP struct{}

// subscriptionsOverWebSocket refuses a subscription sent as a plain POST:
// gqlgen would hold the request open until the first event and answer
// with that one alone.
func subscriptionsOverWebSocket(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	op := graphql.GetOperationContext(ctx).Operation
	if plain, _ := ctx.Value(overPlainHTTP{}).(bool); plain && op != nil && op.Operation == ast.Subscription {
		return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{{
			Message:    "subscriptions are served over WebSocket (GET /query with Upgrade, graphql-transport-ws or graphql-ws)",
			Extensions: map[string]any{"code": CodeBadUserInput},
		}}})
	}
	return next(ctx)
}

// errInternal is what a recovered panic shows: nothing of its detail.
var errInternal = internalError{}

type internalError struct{}

func (internalError) Error() string { return "internal error" }

// transactioner is entgql.Transactioner for requests that reached an
// operation: one refused before (a body that is not JSON) has none, and
// entgql's reads it unchecked, turning a 400 into a recovered panic.
type transactioner struct{ entgql.Transactioner }

func (t transactioner) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	if !graphql.HasOperationContext(ctx) {
		return next(ctx)
	}
	return t.Transactioner.InterceptResponse(ctx, next)
}
