package outbound_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/outbound"
)

// TestAttemptRowsSayWhatEachAttemptWas: each attempt's row (a retried
// failure with a response, an attempt with no answer, a success) holds
// what the attempt was, for its delivery. How the rows are encoded and
// written is history's (TestInsertLogsMatchesEnt).
func TestAttemptRowsSayWhatEachAttemptWas(t *testing.T) {
	t.Parallel()
	e := setup(t)
	fail := newReceiver(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-Why", "busy")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte(`{"error":"busy"}`))
	})
	ok := newReceiver(t, nil)
	e.hook(t, fail.URL, nil, 3)
	e.hook(t, ok.URL, nil, 3)
	e.hook(t, "http://127.0.0.1:1/closed", nil, 3) // refused: no answer at all
	e.emit(t)
	if n := e.once(t, e.dispatcher(t, nil)); n != 3 {
		t.Fatalf("attempted %d deliveries, want 3", n)
	}
	ctx := auth.System(context.Background())
	rows := e.db.Read.WebhookLog.Query().AllX(ctx)
	if len(rows) != 3 {
		t.Fatalf("%d attempt rows, want 3", len(rows))
	}
	// The values themselves, from what each attempt was.
	byURL := map[string]*ent.WebhookLog{}
	for _, r := range rows {
		byURL[r.Request.URL] = r
	}
	for url, r := range byURL {
		dl := e.db.Read.Delivery.GetX(ctx, *r.DeliveryID)
		status, outcome := 0, "FAILED"
		switch {
		case url == fail.URL:
			status = 500
			if r.Response == nil || r.Response.Body != `{"error":"busy"}` || r.Response.Headers["X-Why"] != "busy" ||
				r.NextRetryAt == nil || r.Error == nil || *r.Error != "status 500" {
				t.Errorf("500 attempt row = %+v", r)
			}
		case url == ok.URL:
			status, outcome = 200, "SUCCEEDED"
			if r.NextRetryAt != nil || r.Error != nil || r.Response == nil {
				t.Errorf("200 attempt row = %+v", r)
			}
		default: // refused: no answer, so no status and no response
			if r.Response != nil || r.StatusCode != nil || r.Error == nil || r.NextRetryAt == nil {
				t.Errorf("refused attempt row = %+v", r)
			}
		}
		if status != 0 && (r.StatusCode == nil || *r.StatusCode != status) {
			t.Errorf("%s: status code %v, want %d", url, r.StatusCode, status)
		}
		if string(r.Outcome) != outcome || r.WebhookID != dl.WebhookID || r.WorkspaceID != dl.WorkspaceID ||
			r.EventID == nil || *r.EventID != dl.EventID || r.Attempt == nil || *r.Attempt != 1 ||
			r.Direction != "OUTBOUND" || !r.OccurredAt.Equal(e.clk.now()) || r.DurationMs < 0 {
			t.Errorf("%s: row = %+v for delivery %+v", url, r, dl)
		}
	}
}

// TestResponseBodyIsKeptUpTo8KB: an attempt keeps the first 8 KB of the
// receiver's answer, and the rest of a long answer does not fail it.
func TestResponseBodyIsKeptUpTo8KB(t *testing.T) {
	t.Parallel()
	e := setup(t)
	long := strings.Repeat("0123456789", 1000) // 10,000 bytes
	rcv := newReceiver(t, func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(long)) })
	e.hook(t, rcv.URL, nil, 3)
	em := e.emit(t)
	e.once(t, e.dispatcher(t, nil))
	logs := e.logs(t, em.Deliveries[0].ID)
	if len(logs) != 1 || logs[0].Response == nil || logs[0].Outcome != "SUCCEEDED" {
		t.Fatalf("logs = %+v", logs)
	}
	if got := logs[0].Response.Body; got != long[:outbound.MaxResponseBody] || len(got) != 8192 {
		t.Fatalf("kept %d bytes of the answer, want its first 8,192", len(got))
	}
}

// TestBinaryAnswerIsRecorded: a receiver answering with NUL bytes, which
// PostgreSQL keeps in no text, still has its delivery recorded, the bytes
// logged as U+FFFD.
func TestBinaryAnswerIsRecorded(t *testing.T) {
	t.Parallel()
	e := setup(t)
	rcv := newReceiver(t, func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("GIF89a\x00\x01;")) })
	e.hook(t, rcv.URL, nil, 3)
	em := e.emit(t)
	e.once(t, e.dispatcher(t, nil))
	dl, logs := e.delivery(t, em.Deliveries[0].ID), e.logs(t, em.Deliveries[0].ID)
	if dl.Status != schematype.DeliverySucceeded || len(logs) != 1 || logs[0].Response == nil ||
		logs[0].Response.Body != "GIF89a\uFFFD\x01;" {
		t.Fatalf("delivery %+v, logs %+v", dl, logs)
	}
}
