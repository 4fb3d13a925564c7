package inbound

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/ent/webhooklog"
	"github.com/wexio/webhooks/internal/db/dbtest"
	"github.com/wexio/webhooks/internal/history"
	"github.com/wexio/webhooks/internal/store"
	"github.com/wexio/webhooks/internal/verify"
)

// scriptedWriter fails its first jobs with the errors given, unrun, as the
// store's writer fails them, and hands the rest to the real writer.
type scriptedWriter struct {
	store.Writer
	mu    sync.Mutex
	fail  []error
	calls int
}

func (w *scriptedWriter) Do(ctx context.Context, job store.Job) error {
	if err := w.next(); err != nil {
		return err
	}
	return w.Writer.Do(ctx, job)
}

func (w *scriptedWriter) Insert(ctx context.Context, ins *store.Inserter, row any, after func()) error {
	if err := w.next(); err != nil {
		return err
	}
	return w.Writer.Insert(ctx, ins, row, after)
}

// next counts a submission and returns the error it is scripted to fail
// with, nil for none.
func (w *scriptedWriter) next() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.calls++
	var err error
	if len(w.fail) > 0 {
		err, w.fail = w.fail[0], w.fail[1:]
	}
	return err
}

// submitted is how many jobs were submitted.
func (w *scriptedWriter) submitted() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.calls
}

// unreachable is what connecting to a database nobody serves returns.
func unreachable(t *testing.T) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// Port 1 on loopback: nothing listens, the dial is refused at once.
	conn, err := pgx.Connect(ctx, "postgres://wexio@127.0.0.1:1/wexio?sslmode=disable")
	if err == nil {
		_ = conn.Close(ctx)
		t.Skip("something answers PostgreSQL on 127.0.0.1:1")
	}
	return err
}

// TestAcceptAnswersWhatAFailedWriteAllows: a job the database could not
// take because it is unreachable gets 503 with Retry-After and leaves no
// row; one PostgreSQL gave up in a deadlock, or that found its key held
// by another server's transaction, runs again and is accepted once; any
// other failure is a 500.
func TestAcceptAnswersWhatAFailedWriteAllows(t *testing.T) {
	t.Parallel()
	deadlock := &pgconn.PgError{Severity: "ERROR", Code: "40P01", Message: "deadlock detected"}
	for _, tc := range []struct {
		name       string
		fail       []error
		status     int
		code       string
		retryAfter string
		calls      int // jobs submitted
	}{
		{"database unreachable", []error{unreachable(t)}, http.StatusServiceUnavailable, "database_unavailable", "5", 1},
		{"deadlock victim", []error{fmt.Errorf("writing log row: %w", deadlock)}, http.StatusAccepted, "", "", 2},
		{"key held by another server", []error{errKeyBusy, errKeyBusy}, http.StatusAccepted, "", "", 3},
		{"anything else", []error{errors.New("disk on fire")}, http.StatusInternalServerError, "internal_error", "", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e, w := setupScripted(t, tc.fail)
			req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/in/tok", strings.NewReader(`{"a":1}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Webhook-Secret", "s3cret")
			req.Header.Set("X-Idempotency-Key", "k")
			resp, err := e.srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var body struct{ Error struct{ Code string } }
			_ = json.NewDecoder(resp.Body).Decode(&body) // a 202 has no error
			if resp.StatusCode != tc.status || body.Error.Code != tc.code || resp.Header.Get("Retry-After") != tc.retryAfter {
				t.Fatalf("answer %d %q Retry-After %q; want %d %q %q", resp.StatusCode, body.Error.Code,
					resp.Header.Get("Retry-After"), tc.status, tc.code, tc.retryAfter)
			}
			if n := w.submitted(); n != tc.calls {
				t.Fatalf("%d jobs submitted, want %d", n, tc.calls)
			}
			accepted, err := e.c.WebhookLog.Query().Where(webhooklog.OutcomeEQ(schematype.OutcomeAccepted)).Count(e.ctx)
			if want := map[bool]int{true: 1}[tc.status == http.StatusAccepted]; err != nil || accepted != want {
				t.Fatalf("%d ACCEPTED rows (%v), want %d", accepted, err, want)
			}
		})
	}
}

// setupScripted is setup with the writer failing as scripted, and a
// SHARED_SECRET webhook at token "tok" accepting "s3cret".
func setupScripted(t *testing.T, fail []error) (*env, *scriptedWriter) {
	t.Helper()
	d := dbtest.Open(t, history.MigrateCounters) // as the server opens it
	w := &scriptedWriter{Writer: d.Writer, fail: fail}
	e := &env{c: d.Write, verifiers: &countingVerifiers{build: sharedSecret(verify.Config{Secrets: []string{"s3cret"}})}}
	cache := NewCache(d.Read, time.Hour)
	d.Write.Webhook.Use(cache.Hook())
	h := New(Config{MaxBytes: 1 << 20, PublicURL: "https://hooks.example.test"}, Deps{
		Cache: cache, Writer: w, Dialect: d.Dialect, Verifiers: e.verifiers, Locks: d,
		Log: slog.New(slog.DiscardHandler), Now: time.Now,
	})
	mux := http.NewServeMux()
	mux.Handle("/in/{token}", h)
	e.srv = httptest.NewServer(mux)
	t.Cleanup(e.srv.Close)
	e.ctx = dbtest.Workspace(t, d.Write, "W")
	e.hook = d.Write.Webhook.Create().SetName("in").SetDirection(schematype.DirectionInbound).
		SetToken("tok").SetAuthMode(schematype.AuthSharedSecret).SaveX(e.ctx)
	return e, w
}
