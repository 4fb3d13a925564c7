package inbound

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/history"
	"github.com/wexio/webhooks/internal/payload"
	"github.com/wexio/webhooks/internal/store"
	"github.com/wexio/webhooks/internal/tenant"
	"github.com/wexio/webhooks/internal/verify"
)

// request is one inbound request as the checks see it.
type request struct {
	bound    // the webhook, its enabled flows and its verifier, at lookup
	http     *http.Request
	raw      []byte // the body, up to the limit
	tooLarge bool   // the body went past the limit
	// headersTooLarge: the headers went past MaxHeaderBytes.
	headersTooLarge bool
	readErr         error     // the body could not be read (sender went away)
	received        time.Time // the injected clock, for tolerances and rows
	began           time.Time // the wall clock, for durationMs
	vreq            verify.Request
	// signatureHeader is the custom signature header the log redacts.
	signatureHeader string
	id              string // X-Request-Id
	// logged is the request as its log row keeps it.
	logged        *history.LoggedRequest
	payload       any    // the decoded body, once doc decoded it
	key           string // the idempotency key, once accepted for processing
	keyFromSender bool   // key is the sender's, not the provider's delivery id
	// resolution is how the contact was looked for, once it was.
	resolution *schematype.ContactResolutionResult
}

// handle decides the answer to r, whose id is id, and names its webhook
// ("" when the token names none). Every path past the token lookup writes
// exactly one log row before it returns.
func (h *Handler) handle(ctx context.Context, r *http.Request, id string) (answer, pulid.ID) {
	began := time.Now()
	b, err := h.lookup(ctx, r.PathValue("token"))
	if ent.IsNotFound(err) {
		return errorAnswer(http.StatusNotFound, "not_found", "no webhook at this URL"), ""
	}
	if err != nil {
		h.deps.Log.ErrorContext(ctx, "looking up inbound webhook", "request_id", id, "err", err)
		if store.IsUnavailable(err) {
			return unavailable(), ""
		}
		return errorAnswer(http.StatusInternalServerError, "internal_error", "internal error"), ""
	}
	ctx = tenant.WithWorkspace(ctx, string(b.hook.WorkspaceID))
	req := &request{bound: b, http: r, received: h.deps.Now(), began: began, id: id}
	if b.verifier != nil {
		req.signatureHeader = b.verifier.SignatureHeader()
	}
	req.raw, req.tooLarge, req.readErr = readBody(r, h.cfg.MaxBytes)
	keptHeaders := history.MaxLoggedHeaders
	if req.headersTooLarge = HeaderBytes(r) > MaxHeaderBytes; req.headersTooLarge {
		keptHeaders = maxLoggedHeadersTooLarge
	}
	req.logged = history.LogRequestWithin(r, req.raw, req.signatureHeader, h.cfg.PublicURL, keptHeaders)
	v, err := h.check(req)
	if err != nil {
		h.deps.Log.ErrorContext(ctx, "checking inbound request", "webhook_id", b.hook.ID, "err", err)
		v = reject(http.StatusInternalServerError, "internal_error", "internal error")
	}
	if v != nil {
		h.record(ctx, req, v)
		h.observe(req, v.outcome)
		return v.answer, b.hook.ID
	}
	ans, outcome := h.accept(ctx, req)
	if outcome != "" {
		h.observe(req, outcome)
	}
	return ans, b.hook.ID
}

// observe tells the Observer of a request logged with outcome.
func (h *Handler) observe(req *request, outcome schematype.LogOutcome) {
	if h.deps.Observer != nil {
		h.deps.Observer.InboundRequest(outcome, req.hook.AuthMode, time.Since(req.began))
	}
}

// lookup finds the webhook of token, whatever its workspace.
func (h *Handler) lookup(ctx context.Context, token string) (bound, error) {
	if token == "" {
		return bound{}, &ent.NotFoundError{}
	}
	return h.deps.Cache.lookup(ctx, token)
}

// doc decodes the body once, for the steps that read values out of it.
func (req *request) doc() (any, error) {
	if req.payload == nil {
		v, err := payload.Parse(req.http.Header.Get("Content-Type"), req.raw)
		if err != nil {
			return nil, fmt.Errorf("decoding payload: %w", err)
		}
		req.payload = v
	}
	return req.payload, nil
}

// MaxHeaderBytes bounds an inbound request's headers: past it the answer
// is 431 and the log row keeps maxLoggedHeadersTooLarge bytes of them.
// Providers send a few KB; the server refuses more than its own bound
// (larger) before any handler sees the request.
const MaxHeaderBytes = 64 << 10

// maxLoggedHeadersTooLarge is what the log row of a 431 keeps of its
// headers: enough to tell who sent them.
const maxLoggedHeadersTooLarge = 8 << 10

// HeaderBytes is the size of r's header block as net/http counts it
// against http.Server.MaxHeaderBytes: the request line, then each field
// as "Name: value\r\n".
func HeaderBytes(r *http.Request) int {
	n := len(r.Method) + len(r.RequestURI) + len(r.Proto) + 4
	for k, vs := range r.Header {
		for _, v := range vs {
			n += len(k) + len(v) + 4
		}
	}
	if r.Host != "" && r.Header.Get("Host") == "" {
		n += len("Host: ") + len(r.Host) + 2
	}
	return n
}

// readBody reads at most limit bytes. Past the limit it reports tooLarge and
// keeps the first limit bytes for the log.
func readBody(r *http.Request, limit int64) (raw []byte, tooLarge bool, err error) {
	if r.Body == nil {
		return nil, false, nil
	}
	// Sized by Content-Length when the caller sent one: io.ReadAll alone
	// grows its buffer from 512 bytes, a copy at each step. Up to
	// preSized only: a caller announcing 100 KB and sending nothing must
	// not make every connection hold that much (the connection cap times
	// the size limit is a gigabyte).
	var buf bytes.Buffer
	if n := r.ContentLength; n > 0 && n <= limit {
		buf.Grow(int(min(n, preSized)) + bytes.MinRead) // ReadFrom wants MinRead free for the read that finds the end
	}
	_, err = buf.ReadFrom(io.LimitReader(r.Body, limit+1))
	raw = buf.Bytes()
	if err != nil {
		return raw, false, fmt.Errorf("reading body: %w", err)
	}
	if int64(len(raw)) > limit {
		return raw[:limit], true, nil
	}
	return raw, false, nil
}

// preSized bounds the buffer readBody sizes by Content-Length before a
// byte arrived; most webhook bodies are a few kilobytes.
const preSized = 16 << 10

// errMisconfigured is a webhook whose credentials cannot be opened.
var errMisconfigured = errors.New("inbound: opening webhook credentials")
