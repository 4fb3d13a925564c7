package history

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/redact"
)

// InboundRow is what the log keeps of a request to POST /in/{token} and
// of the answer it got.
type InboundRow struct {
	ID             pulid.ID // the row's; the 202 body names it
	WorkspaceID    pulid.ID // the webhook's
	WebhookID      pulid.ID // the webhook the token named
	Request        *LoggedRequest
	ReceivedAt     time.Time     // by the injected clock
	Duration       time.Duration // from arrival to the answer
	Outcome        schematype.LogOutcome
	Status         int
	Error          string    // why the request was refused; "" when it was not
	IdempotencyKey string    // "" without one
	ContactID      *pulid.ID // the contact it resolved to, if any
	// ContactResolution is how the contact was looked for; nil when the
	// webhook resolves no contacts (or the request was refused first).
	ContactResolution *schematype.ContactResolutionResult
	AnswerHeader      http.Header
	AnswerBody        []byte
}

// Row builds and encodes the row, for InsertLogs (directly or through
// LogInserter).
func (r *InboundRow) Row() (*LogRow, error) {
	status, duration := r.Status, int(r.Duration.Milliseconds())
	w := &ent.WebhookLog{
		ID: r.ID, WorkspaceID: r.WorkspaceID, WebhookID: r.WebhookID,
		Direction: schematype.DirectionInbound, OccurredAt: r.ReceivedAt.UTC(),
		Outcome: r.Outcome, StatusCode: &status, DurationMs: duration,
		Request:   r.Request.msg,
		Response:  &schematype.HTTPMessage{Headers: redact.Headers(r.AnswerHeader, nil), Body: storableBody(string(r.AnswerBody))},
		ContactID: r.ContactID, ContactResolution: r.ContactResolution,
	}
	if r.Error != "" {
		reason := r.Error
		w.Error = &reason
	}
	if r.IdempotencyKey != "" {
		key := r.IdempotencyKey
		w.IdempotencyKey = &key
	}
	return encodeRow(w, r.Request.json)
}

// LoggedRequest is a request as its log row keeps it (headers joined per
// name; credentials, signatures and secret query values replaced),
// encoded once by the request's own goroutine: the writer, which all
// requests wait for, only binds it.
type LoggedRequest struct {
	msg  schematype.HTTPMessage
	json []byte
}

// LogRequest is r with body (as read, up to the size limit) as its log row
// keeps it: its URL as the caller used it, base (WEXIO_PUBLIC_URL) and
// r's path and query. signatureHeader is the webhook's own signature
// header, if it has one: its value is redacted like those of the names
// every provider uses (redact.IsSecret).
func LogRequest(r *http.Request, body []byte, signatureHeader, base string) *LoggedRequest {
	return LogRequestWithin(r, body, signatureHeader, base, MaxLoggedHeaders)
}

// LogRequestWithin is LogRequest keeping at most maxHeaders bytes of
// headers (names and values).
func LogRequestWithin(r *http.Request, body []byte, signatureHeader, base string, maxHeaders int) *LoggedRequest {
	extra := map[string]bool{}
	if signatureHeader != "" {
		extra[strings.ToLower(signatureHeader)] = true
	}
	lr := &LoggedRequest{msg: schematype.HTTPMessage{
		Method:  r.Method,
		URL:     strings.TrimSuffix(base, "/") + requestURI(r.URL, extra),
		Headers: capHeaders(redact.Headers(r.Header, func(k string) bool { return redact.IsSecret(k, extra) }), maxHeaders),
	}}
	lr.msg.Body, lr.msg.BodyBase64 = exactBody(string(body))
	lr.json = lr.msg.AppendJSON(make([]byte, 0, len(body)+len(lr.msg.URL)+512))
	return lr
}

// MaxLoggedHeaders bounds the headers a log row keeps, names and values:
// a flood of requests with huge headers (refused ones included) must not
// fill the disk faster than their bodies could.
const MaxLoggedHeaders = 16 << 10

// capHeaders keeps h within limit bytes: in name order, each header
// whole while it fits, the first that does not cut short and marked, and
// none after it but a count of those left out.
func capHeaders(h map[string]string, limit int) map[string]string {
	total := 0
	for k, v := range h {
		total += len(k) + len(v)
	}
	if total <= limit {
		return h
	}
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	slices.Sort(names)
	const cut = "…[cut]"
	out := map[string]string{}
	room := limit - 64 // for the count of those left out
	for i, k := range names {
		v := h[k]
		if len(k)+len(v) <= room {
			out[k], room = v, room-len(k)-len(v)
			continue
		}
		if keep := room - len(k) - len(cut); keep > 0 {
			out[k] = strings.ToValidUTF8(v[:keep], "") + cut
			i++
		}
		if left := len(names) - i; left > 0 {
			out["X-Wexio-Headers-Left-Out"] = strconv.Itoa(left)
		}
		break
	}
	return out
}

// requestURI is the path and query the request was sent to, secret query
// values replaced.
func requestURI(u *url.URL, extra map[string]bool) string {
	if u.RawQuery == "" {
		return u.Path
	}
	return u.Path + "?" + redact.Query(u.RawQuery, extra)
}
