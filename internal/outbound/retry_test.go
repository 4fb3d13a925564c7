package outbound_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/outbound"
)

func TestServerErrorRetriesWithBackoffThenFails(t *testing.T) {
	t.Parallel()
	e := setup(t)
	rcv := newReceiver(t, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(500) })
	wh := e.hook(t, rcv.URL, nil, 2)
	em := e.emit(t)
	d := e.dispatcher(t, nil)
	start := e.clk.now()
	for i, wait := range []time.Duration{time.Minute, 5 * time.Minute} {
		e.once(t, d)
		// Setting the status the webhook already has brings no retry forward.
		if _, err := e.svc.SetStatus(e.ctx, e.db.Write, wh.ID, schematype.WebhookActive); err != nil {
			t.Fatal(err)
		}
		dl := e.delivery(t, em.Deliveries[0].ID)
		if dl.Status != schematype.DeliveryPending || dl.Attempts != i+1 || !dl.NextAttemptAt.Equal(e.clk.now().Add(wait)) {
			t.Fatalf("after attempt %d: %+v", i+1, dl)
		}
		if n := e.once(t, d); n != 0 {
			t.Fatalf("claimed %d before the retry was due", n)
		}
		e.clk.add(wait)
	}
	e.once(t, d)
	dl := e.delivery(t, em.Deliveries[0].ID)
	if dl.Status != schematype.DeliveryFailed || dl.Attempts != 3 {
		t.Fatalf("final delivery = %+v", dl)
	}
	logs := e.logs(t, dl.ID)
	if len(logs) != 3 || *logs[0].Error != "status 500" || *logs[2].Error != "status 500; no retries left" || logs[2].NextRetryAt != nil ||
		!logs[0].NextRetryAt.Equal(start.Add(time.Minute)) {
		t.Fatalf("logs = %+v", logs)
	}
	reqs := rcv.got()
	if len(reqs) != 3 || reqs[0].header.Get("Webhook-Id") != reqs[2].header.Get("Webhook-Id") ||
		reqs[0].header.Get("Webhook-Timestamp") == reqs[2].header.Get("Webhook-Timestamp") {
		t.Fatalf("requests: %d, ids and timestamps not as expected", len(reqs))
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	t.Parallel()
	e := setup(t)
	rcv := newReceiver(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	e.hook(t, rcv.URL, nil, 5)
	em := e.emit(t)
	e.once(t, e.dispatcher(t, nil))
	dl := e.delivery(t, em.Deliveries[0].ID)
	if want := e.clk.now().Add(time.Hour); !dl.NextAttemptAt.Equal(want) {
		t.Fatalf("next attempt %v, want %v (Retry-After beats the 1m backoff)", dl.NextAttemptAt, want)
	}
}

func TestGoneDisablesTheWebhook(t *testing.T) {
	t.Parallel()
	e := setup(t)
	rcv := newReceiver(t, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusGone) })
	wh := e.hook(t, rcv.URL, nil, 5)
	a, b := e.emit(t).Deliveries[0].ID, e.emit(t).Deliveries[0].ID
	e.once(t, e.dispatcher(t, func(c *outbound.Config) { c.Workers, c.BatchSize = 1, 1 }))
	failed, held := e.delivery(t, a), e.delivery(t, b)
	if held.Status == schematype.DeliveryFailed { // either may be claimed first
		failed, held = held, failed
	}
	if failed.Status != schematype.DeliveryFailed {
		t.Fatalf("delivery = %+v", failed)
	}
	if w := e.db.Read.Webhook.GetX(e.ctx, wh.ID); w.Status != schematype.WebhookDisabled {
		t.Fatalf("webhook status %s", w.Status)
	}
	// The webhook's other pending delivery is held, not left due.
	if held.Status != schematype.DeliveryPending || held.NextAttemptAt != nil {
		t.Fatalf("other delivery = %+v", held)
	}
}

func TestRedirectIsNotFollowed(t *testing.T) {
	t.Parallel()
	e := setup(t)
	var followed atomic.Int32
	rcv := newReceiver(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/moved" {
			followed.Add(1)
			return
		}
		http.Redirect(w, r, "/moved", http.StatusFound)
	})
	e.hook(t, rcv.URL+"/hook", nil, 5)
	em := e.emit(t)
	e.once(t, e.dispatcher(t, nil))
	l := e.logs(t, em.Deliveries[0].ID)[0]
	if followed.Load() != 0 || *l.StatusCode != 302 || l.Outcome != schematype.OutcomeFailed || !strings.Contains(*l.Error, "redirect") {
		t.Fatalf("followed %d, log %+v", followed.Load(), l)
	}
}

func TestTimeoutIsRetried(t *testing.T) {
	t.Parallel()
	e := setup(t)
	rcv := newReceiver(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	wh := e.hook(t, rcv.URL, nil, 5)
	e.db.Write.Webhook.UpdateOneID(wh.ID).SetTimeoutSeconds(1).ExecX(e.ctx)
	em := e.emit(t)
	e.once(t, e.dispatcher(t, nil))
	l := e.logs(t, em.Deliveries[0].ID)[0]
	if l.StatusCode != nil || l.Response != nil || !strings.Contains(*l.Error, "timed out") || l.DurationMs < 900 || l.DurationMs > 3000 {
		t.Fatalf("log %+v", l)
	}
	if dl := e.delivery(t, em.Deliveries[0].ID); dl.Status != schematype.DeliveryPending {
		t.Fatalf("delivery = %+v", dl)
	}
}

// TestTimeoutCoversTheWholeAnswer: the timeout runs to the answer's last
// byte, so a 200 whose body is still coming when it ends is a timed-out
// attempt, retried; what came of the answer is kept.
func TestTimeoutCoversTheWholeAnswer(t *testing.T) {
	t.Parallel()
	e := setup(t)
	rcv := newReceiver(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("par"))
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	wh := e.hook(t, rcv.URL, nil, 5)
	e.db.Write.Webhook.UpdateOneID(wh.ID).SetTimeoutSeconds(0).ExecX(e.ctx) // the dispatcher's Timeout applies
	em := e.emit(t)
	e.once(t, e.dispatcher(t, func(c *outbound.Config) { c.Timeout = 200 * time.Millisecond }))
	l := e.logs(t, em.Deliveries[0].ID)[0]
	if l.Outcome != schematype.OutcomeFailed || l.StatusCode == nil || *l.StatusCode != 200 || l.Error == nil ||
		!strings.Contains(*l.Error, "timed out") || l.Response == nil || l.Response.Body != "par" {
		t.Fatalf("log %+v", l)
	}
	if dl := e.delivery(t, em.Deliveries[0].ID); dl.Status != schematype.DeliveryPending || dl.NextAttemptAt == nil {
		t.Fatalf("delivery = %+v, want a retry scheduled", dl)
	}
}

func TestBlockedAddressFails(t *testing.T) {
	t.Parallel()
	e := setup(t)
	rcv := newReceiver(t, nil)
	e.hook(t, rcv.URL, nil, 5)
	em := e.emit(t)
	e.once(t, e.dispatcher(t, func(c *outbound.Config) { c.AllowPrivate = false }))
	l := e.logs(t, em.Deliveries[0].ID)[0]
	if len(rcv.got()) != 0 || l.StatusCode != nil || !strings.Contains(*l.Error, "127.0.0.1") {
		t.Fatalf("log %+v", l)
	}
	if dl := e.delivery(t, em.Deliveries[0].ID); dl.Status != schematype.DeliveryFailed {
		t.Fatalf("delivery = %+v", dl)
	}
}

// TestLastAttemptIsLoggedFailed: the operator log calls an attempt that
// will not be retried failed, whatever its answer asked for.
func TestLastAttemptIsLoggedFailed(t *testing.T) {
	t.Parallel()
	e := setup(t)
	rcv := newReceiver(t, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(503) })
	e.hook(t, rcv.URL, nil, 0)
	e.emit(t)
	var buf bytes.Buffer
	var mu sync.Mutex
	log := slog.New(slog.NewTextHandler(lockedWriter{&mu, &buf}, nil))
	e.once(t, e.dispatcher(t, func(c *outbound.Config) { c.Log = log }))
	mu.Lock()
	line := buf.String()
	mu.Unlock()
	if !strings.Contains(line, "outcome=failed") || !strings.Contains(line, "final=true") || !strings.Contains(line, "no retries left") {
		t.Fatalf("log line %q, want outcome=failed on the final attempt", line)
	}
}

// lockedWriter serialises writes from the recorder's goroutine.
type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// TestRetriedAttemptsLogAtDebug: an attempt that will be retried is not an
// info line (a receiver down would flood the log); the history has it.
func TestRetriedAttemptsLogAtDebug(t *testing.T) {
	t.Parallel()
	e := setup(t)
	rcv := newReceiver(t, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(500) })
	e.hook(t, rcv.URL, nil, 5)
	em := e.emit(t)
	var buf bytes.Buffer
	var mu sync.Mutex
	log := slog.New(slog.NewTextHandler(lockedWriter{&mu, &buf}, nil)) // info and above
	e.once(t, e.dispatcher(t, func(c *outbound.Config) { c.Log = log }))
	mu.Lock()
	line := buf.String()
	mu.Unlock()
	if line != "" {
		t.Fatalf("a retried attempt logged at info: %q", line)
	}
	if logs := e.logs(t, em.Deliveries[0].ID); len(logs) != 1 || logs[0].NextRetryAt == nil {
		t.Fatalf("history: %+v, want the attempt with its retry", logs)
	}
}
