package history

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/redact"
)

// InboundRow is what the log keeps of a request to POST /in/{token} and
// of the answer it got. Its workspace is the context's (tenant), as for
// any row created through ent.
type InboundRow struct {
	ID         pulid.ID      // the row's; the 202 body names it
	WebhookID  pulid.ID      // the webhook the token named
	Request    *http.Request // its method, URL and headers, as received
	Body       []byte        // the body as read, up to the size limit
	ReceivedAt time.Time     // by the injected clock
	Duration   time.Duration // from arrival to the answer
	// SignatureHeader is the webhook's own signature header, if it has
	// one: its value is redacted like those of the names every provider
	// uses (redact.IsSecret).
	SignatureHeader string
	Outcome         schematype.LogOutcome
	Status          int
	Error           string    // why the request was refused; "" when it was not
	IdempotencyKey  string    // "" without one
	ContactID       *pulid.ID // the contact it resolved to, if any
	AnswerHeader    http.Header
	AnswerBody      []byte
}

// Create builds the row on c, the client of the transaction that writes
// whatever else the request caused.
func (r *InboundRow) Create(c *ent.Client) *ent.WebhookLogCreate {
	m := c.WebhookLog.Create().
		SetID(r.ID).
		SetWebhookID(r.WebhookID).
		SetDirection(schematype.DirectionInbound).
		SetOccurredAt(r.ReceivedAt.UTC()).
		SetOutcome(r.Outcome).
		SetStatusCode(r.Status).
		SetDurationMs(int(r.Duration.Milliseconds())).
		SetRequest(r.request()).
		SetResponse(&schematype.HTTPMessage{Headers: redact.Headers(r.AnswerHeader, nil), Body: storableBody(string(r.AnswerBody))}).
		SetNillableContactID(r.ContactID)
	if r.Error != "" {
		m.SetError(r.Error)
	}
	if r.IdempotencyKey != "" {
		m.SetIdempotencyKey(r.IdempotencyKey)
	}
	return m
}

// request is the request as the log keeps it: headers joined per name,
// credentials, signatures and secret query values replaced.
func (r *InboundRow) request() schematype.HTTPMessage {
	extra := map[string]bool{}
	if r.SignatureHeader != "" {
		extra[strings.ToLower(r.SignatureHeader)] = true
	}
	return schematype.HTTPMessage{
		Method:  r.Request.Method,
		URL:     requestURI(r.Request.URL, extra),
		Headers: redact.Headers(r.Request.Header, func(k string) bool { return redact.IsSecret(k, extra) }),
		Body:    storableBody(string(r.Body)),
	}
}

// requestURI is the path and query the request was sent to, secret query
// values replaced; the host is ours, and the same for every row.
func requestURI(u *url.URL, extra map[string]bool) string {
	if u.RawQuery == "" {
		return u.Path
	}
	return u.Path + "?" + redact.Query(u.RawQuery, extra)
}
