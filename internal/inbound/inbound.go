package inbound

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/history"
	"github.com/wexio/webhooks/internal/livetail"
	"github.com/wexio/webhooks/internal/store"
	"github.com/wexio/webhooks/internal/verify"
)

// Config is the handler's configuration.
type Config struct {
	MaxBytes  int64         // WEXIO_INBOUND_MAX_BYTES
	PublicURL string        // WEXIO_PUBLIC_URL: the URL providers sign over
	Retention time.Duration // the idempotency window
	// PausedRetryAfter is the Retry-After a PAUSED webhook answers with.
	PausedRetryAfter time.Duration
	// RefusedLogRate is how many refused requests a second each webhook
	// stores (WEXIO_REFUSED_LOG_RATE); 0 stores every one.
	RefusedLogRate float64
}

// ContactResolver finds (and with create, makes) the contact a payload
// names, in the caller's transaction.
type ContactResolver interface {
	Resolve(ctx context.Context, c *ent.Client, match schematype.ContactMatch, value any, create bool) (*ent.Contact, bool, error)
	// Usable reports whether value can name a contact by match at all (an
	// email that is no email cannot).
	Usable(match schematype.ContactMatch, value any) bool
}

// Verifiers builds a webhook's verifier with its sealed credentials open.
// An error wrapping verify.ErrMisconfigured means the webhook's settings
// name no scheme verify can run (its requests are refused with 401, as
// Verify would); any other means the credentials cannot be opened (500).
type Verifiers interface {
	Verifier(*ent.Webhook) (*verify.Verifier, error)
}

// Deps are the handler's collaborators. Waking the workers after a commit
// that wrote due work is the store's hooks' business, not the handler's.
type Deps struct {
	// Cache is the token lookup; its Hook must be installed on the write
	// client. New has it build each webhook's verifier through Verifiers
	// when it loads the webhook, so that one lives as long as its entry.
	Cache     *Cache
	Writer    store.Writer // every log row goes through it
	Verifiers Verifiers
	Contacts  ContactResolver                     // may be nil: no resolution
	Tail      livetail.Publisher[*ent.WebhookLog] // may be nil
	Log       *slog.Logger
	Now       func() time.Time
	// Dialect is the SQL dialect of the Writer's database (store.Store),
	// for the log rows' own INSERT.
	Dialect string
	// Observer, when set, is told of each request logged (metrics).
	Observer Observer
	// Locks takes an idempotency key's lock for the rest of the accepting
	// transaction (store.Store); nil where one server alone writes.
	Locks TxLocker
}

// Observer is told of each inbound request answered past the token
// lookup: its log outcome, its webhook's auth mode and the time to its
// answer; and of each refusal left unstored (Config.RefusedLogRate).
type Observer interface {
	InboundRequest(outcome schematype.LogOutcome, mode schematype.InboundAuthMode, took time.Duration)
	InboundUnlogged()
}

// TxLocker takes a lock until the transaction of tx ends, unless another
// transaction holds it (ok false), without waiting.
type TxLocker interface {
	TryLockTx(ctx context.Context, tx *ent.Client, name string) (ok bool, err error)
}

// Handler is the inbound endpoint.
type Handler struct {
	cfg      Config
	deps     Deps
	logs     *store.Inserter // the log rows' (history.LogInserter)
	refusals *refusalLog
}

// New returns the handler; mount it on "/in/{token}".
func New(cfg Config, deps Deps) *Handler {
	if cfg.PausedRetryAfter <= 0 {
		cfg.PausedRetryAfter = time.Minute
	}
	// The cache builds each webhook's verifier when it loads the webhook,
	// so that the verifier lives as long as the entry; Deps say how.
	deps.Cache.verifiers = deps.Verifiers
	return &Handler{cfg: cfg, deps: deps, logs: history.LogInserter(deps.Dialect),
		refusals: newRefusalLog(cfg.RefusedLogRate, time.Now)}
}

// ServeHTTP adapts handle to HTTP: it writes the answer handle decided,
// with the request's id in X-Request-Id (also in the answer its log row
// keeps, and in its debug line): the caller's own when it sent a usable
// one, else a new one.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	began := time.Now()
	id := r.Header.Get(requestIDHeader)
	if !usableRequestID(id) {
		id = string(pulid.New("req"))
	}
	ans, webhook := h.handle(r.Context(), r, id)
	for k, v := range ans.headers() {
		w.Header()[k] = v
	}
	w.Header().Set(requestIDHeader, id)
	w.WriteHeader(ans.status)
	_, _ = w.Write(ans.body)
	h.deps.Log.DebugContext(r.Context(), "inbound request", "request_id", id, "webhook_id", webhook,
		"status", ans.status, "duration_ms", time.Since(began).Milliseconds())
}

// requestIDHeader names the id of an inbound request in its answer.
const requestIDHeader = "X-Request-Id"

// maxRequestID bounds a caller's own X-Request-Id.
const maxRequestID = 128

// usableRequestID reports whether a caller's X-Request-Id may be kept: at
// most maxRequestID letters, digits and . _ : - (UUIDs, ULIDs, trace ids),
// nothing a log line or a header could be confused by.
func usableRequestID(id string) bool {
	if id == "" || len(id) > maxRequestID {
		return false
	}
	for _, c := range []byte(id) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == ':' || c == '-') {
			return false
		}
	}
	return true
}
