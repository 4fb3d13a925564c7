package history

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/redact"
	"github.com/wexio/webhooks/internal/store"
)

// TestInboundRowKeepsTheRequestRedacted: the row keeps the request's
// method, path and query, headers and body, and the answer, with the
// values of credentials, signatures (the webhook's own signature header
// too) and secret query keys replaced.
func TestInboundRowKeepsTheRequestRedacted(t *testing.T) {
	t.Parallel()
	e := setup(t)
	in := must[*ent.Webhook](t)(e.d.Write.Webhook.Create().SetName("in").SetDirection(schematype.DirectionInbound).
		SetToken("tok").Save(e.ctx))
	req := httptest.NewRequest(http.MethodPost, "https://hooks.example.com/in/tok?hub.verify_token=v&page=2&sig=s", nil)
	req.Header = http.Header{"X-Custom-Mac": {"ab"}, "Authorization": {"Bearer s"}, "X-Multi": {"a", "b"},
		"Content-Type": {"application/json"}}
	plus2 := time.FixedZone("+02:00", 2*3600)
	contact := must[*ent.Contact](t)(e.d.Write.Contact.Create().SetName("Ada").Save(e.ctx))
	row := &InboundRow{
		ID: pulid.New("log"), WebhookID: in.ID, Request: LogRequest(req, []byte(`{"a":1}`), "x-custom-MAC", "https://hooks.example.com/"),
		ReceivedAt: now.In(plus2), Duration: 12 * time.Millisecond,
		Outcome: schematype.OutcomeRejected, Status: http.StatusUnauthorized, Error: "invalid signature",
		IdempotencyKey: "k-1", ContactID: &contact.ID,
		AnswerHeader: http.Header{"Content-Type": {"application/json"}}, AnswerBody: []byte(`{"error":{}}`),
	}
	row.WorkspaceID = in.WorkspaceID
	e.insertInbound(t, row)
	got := must[*ent.WebhookLog](t)(e.d.Read.WebhookLog.Get(e.ctx, row.ID))

	wantReq := schematype.HTTPMessage{Method: "POST", URL: "https://hooks.example.com/in/tok?hub.verify_token=%5Bredacted%5D&page=2&sig=%5Bredacted%5D",
		Headers: map[string]string{"X-Custom-Mac": redact.Marker, "Authorization": redact.Marker, "X-Multi": "a, b",
			"Content-Type": "application/json"}, Body: `{"a":1}`}
	if !sameMessage(got.Request, wantReq) {
		t.Errorf("request %+v\nwant %+v", got.Request, wantReq)
	}
	if got.Response == nil || !sameMessage(*got.Response, schematype.HTTPMessage{
		Headers: map[string]string{"Content-Type": "application/json"}, Body: `{"error":{}}`}) {
		t.Errorf("answer %+v", got.Response)
	}
	if got.ID != row.ID || got.WebhookID != in.ID || got.Direction != schematype.DirectionInbound ||
		!got.OccurredAt.Equal(now) || got.OccurredAt.Location() != time.UTC || got.DurationMs != 12 ||
		got.Outcome != row.Outcome || got.StatusCode == nil || *got.StatusCode != 401 ||
		got.Error == nil || *got.Error != row.Error || got.IdempotencyKey == nil || *got.IdempotencyKey != "k-1" ||
		got.ContactID == nil || *got.ContactID != contact.ID || got.WorkspaceID != in.WorkspaceID {
		t.Errorf("row %+v", got)
	}

	// Accepted, without a query, a key or a contact: none is kept.
	req = httptest.NewRequest(http.MethodPost, "https://hooks.example.com/in/tok", nil)
	plain := &InboundRow{ID: pulid.New("log"), WorkspaceID: in.WorkspaceID, WebhookID: in.ID,
		Request: LogRequest(req, nil, "", "https://hooks.example.com"), ReceivedAt: now,
		Outcome: schematype.OutcomeAccepted, Status: http.StatusAccepted}
	e.insertInbound(t, plain)
	got = must[*ent.WebhookLog](t)(e.d.Read.WebhookLog.Get(e.ctx, plain.ID))
	if got.Request.URL != "https://hooks.example.com/in/tok" || got.Error != nil || got.IdempotencyKey != nil || got.ContactID != nil {
		t.Errorf("plain row %+v", got)
	}
}

// TestInboundRowKeepsBinaryBodies: a request with NUL bytes (refused as
// not JSON), which PostgreSQL keeps in no text, is logged with U+FFFD in
// their place, on either database.
func TestInboundRowKeepsBinaryBodies(t *testing.T) {
	t.Parallel()
	e := setup(t)
	in := must[*ent.Webhook](t)(e.d.Write.Webhook.Create().SetName("in").SetDirection(schematype.DirectionInbound).
		SetToken("tok").Save(e.ctx))
	req := httptest.NewRequest(http.MethodPost, "https://hooks.example.com/in/tok", nil)
	row := &InboundRow{ID: pulid.New("log"), WorkspaceID: in.WorkspaceID, WebhookID: in.ID,
		Request: LogRequest(req, []byte("\x00\x01 not JSON"), "", "https://hooks.example.com"), ReceivedAt: now,
		Outcome: schematype.OutcomeRejected, Status: http.StatusBadRequest, Error: "invalid JSON"}
	e.insertInbound(t, row)
	got := must[*ent.WebhookLog](t)(e.d.Read.WebhookLog.Get(e.ctx, row.ID))
	if got.Request.Body != "\uFFFD\x01 not JSON" {
		t.Fatalf("body logged as %q", got.Request.Body)
	}
}

// insertInbound writes rows through the writer, as the inbound handler
// does: queued on the job's hooks for the batch's one INSERT.
func (e *env) insertInbound(tb testing.TB, rows ...*InboundRow) {
	tb.Helper()
	ins := LogInserter(e.d.Dialect)
	err := e.w.Do(e.ctx, func(ctx context.Context, tx *ent.Tx, hk *store.Hooks) error {
		for _, r := range rows {
			lr, err := r.Row()
			if err != nil {
				return err
			}
			hk.InsertLater(ins, lr)
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
}

func sameMessage(a, b schematype.HTTPMessage) bool {
	if a.Method != b.Method || a.URL != b.URL || a.Body != b.Body || len(a.Headers) != len(b.Headers) {
		return false
	}
	for k, v := range b.Headers {
		if a.Headers[k] != v {
			return false
		}
	}
	return true
}

// TestLoggedHeadersAreCapped: the headers a log row keeps stay within
// MaxLoggedHeaders however many and large the request's were; small
// ones are kept whole.
func TestLoggedHeadersAreCapped(t *testing.T) {
	t.Parallel()
	req := httptest.NewRequest(http.MethodPost, "https://hooks.example.com/in/tok", nil)
	for i := range 100 {
		req.Header.Set(fmt.Sprintf("X-Flood-%03d", i), strings.Repeat("v", 900))
	}
	req.Header.Set("Content-Type", "application/json")
	lr := LogRequest(req, nil, "", "https://hooks.example.com")
	size := 0
	for k, v := range lr.msg.Headers {
		size += len(k) + len(v)
	}
	if size > MaxLoggedHeaders || lr.msg.Headers["Content-Type"] != "application/json" ||
		lr.msg.Headers["X-Wexio-Headers-Left-Out"] == "" {
		t.Fatalf("%d bytes of headers kept, %d headers, left out %q", size, len(lr.msg.Headers), lr.msg.Headers["X-Wexio-Headers-Left-Out"])
	}
	small := httptest.NewRequest(http.MethodPost, "https://hooks.example.com/in/tok", nil)
	small.Header.Set("X-Trace", "t-1")
	if got := LogRequest(small, nil, "", "https://hooks.example.com").msg.Headers; got["X-Trace"] != "t-1" || len(got) != 1 {
		t.Fatalf("small headers: %v", got)
	}
}
