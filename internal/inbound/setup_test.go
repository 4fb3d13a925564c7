package inbound

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/ent/webhooklog"
	"github.com/wexio/webhooks/internal/db/dbtest"
	"github.com/wexio/webhooks/internal/history"
	"github.com/wexio/webhooks/internal/testkit"
	"github.com/wexio/webhooks/internal/verify"
)

var t0 = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// countingVerifiers is a Verifiers that counts the verifiers it builds.
type countingVerifiers struct {
	calls atomic.Int64
	build func(*ent.Webhook) (*verify.Verifier, error)
}

func (v *countingVerifiers) Verifier(w *ent.Webhook) (*verify.Verifier, error) {
	v.calls.Add(1)
	return v.build(w)
}

var _ Verifiers = (*countingVerifiers)(nil)

// env is the handler over its own database, behind a real server, with one
// inbound webhook.
type env struct {
	srv       *httptest.Server
	c         *ent.Client // the write client, with the cache's hook
	ctx       context.Context
	hook      *ent.Webhook
	clk       *testkit.Clock
	verifiers *countingVerifiers
}

func setup(t *testing.T, build func(*ent.Webhook) (*verify.Verifier, error)) *env {
	t.Helper()
	d := dbtest.Open(t, history.MigrateCounters) // as the server opens it
	e := &env{c: d.Write, clk: testkit.NewClock(t0), verifiers: &countingVerifiers{build: build}}
	// An hour's TTL: within a test only a change reloads an entry.
	cache := NewCache(d.Read, time.Hour)
	d.Write.Webhook.Use(cache.Hook())
	d.Write.Flow.Use(cache.Hook())
	h := New(Config{MaxBytes: 1 << 20, PublicURL: "https://hooks.example.test"}, Deps{
		Cache: cache, Writer: d.Writer, Dialect: d.Dialect, Verifiers: e.verifiers,
		Log: slog.New(slog.DiscardHandler), Now: e.clk.Now,
	})
	mux := http.NewServeMux()
	mux.Handle("/in/{token}", h)
	e.srv = httptest.NewServer(mux)
	t.Cleanup(e.srv.Close)
	e.ctx = dbtest.Workspace(t, d.Write, "W")
	e.hook = d.Write.Webhook.Create().SetName("in").SetDirection(schematype.DirectionInbound).
		SetToken("tok").SetAuthMode(schematype.AuthSharedSecret).SaveX(e.ctx)
	return e
}

// send sends a JSON body with the X-Webhook-Secret header (none when
// secret is empty) and returns the status and the error code of the body.
func (e *env) send(t *testing.T, method, secret string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+"/in/tok", strings.NewReader(`{"a":1}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set("X-Webhook-Secret", secret)
	}
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct{ Error struct{ Code string } }
	_ = json.NewDecoder(resp.Body).Decode(&body) // a handshake's answer has none
	return resp.StatusCode, body.Error.Code
}

// logged returns the status codes of the webhook's log rows, sorted.
func (e *env) logged(t *testing.T) []int {
	t.Helper()
	codes, err := e.c.WebhookLog.Query().Where(webhooklog.WebhookID(e.hook.ID)).
		Select(webhooklog.FieldStatusCode).Ints(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(codes)
	return codes
}

// sharedSecret builds SHARED_SECRET verifiers of the given config.
func sharedSecret(cfg verify.Config) func(*ent.Webhook) (*verify.Verifier, error) {
	cfg.Mode = verify.SharedSecret
	return func(*ent.Webhook) (*verify.Verifier, error) { return verify.New(cfg) }
}
