package app

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent/delivery"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/ent/webhooklog"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/config"
	"github.com/wexio/webhooks/internal/db/dbtest"
	"github.com/wexio/webhooks/internal/tenant"
	"github.com/wexio/webhooks/internal/testkit"
)

// TestDatabaseLostWhileRunning: a server whose PostgreSQL goes away (killed
// at once) answers /readyz 503 and inbound requests 503 with Retry-After,
// acknowledging nothing; its workers fail to claim and keep trying. Once
// the database is back, with nobody touching the server, inbound requests
// are accepted again and a delivery queued before the outage is delivered.
func TestDatabaseLostWhileRunning(t *testing.T) {
	if !dbtest.Postgres() {
		t.Skip("PostgreSQL only: runs in the PostgreSQL half")
	}
	t.Parallel()
	pg := newPGCluster(t)
	logs := newLogWatch(testLogger().Handler())
	ta := startLoggedApp(t, slog.New(logs), func(c *config.Config) {
		c.DatabaseURL = pg.URL()
		c.AllowPrivateNetworks = true
		c.OutboundBackoffBase = 100 * time.Millisecond // the receiver's Retry-After decides
	})

	// The receiver asks for a pause on the first attempt: the delivery is
	// then queued, due 2 s later, when the database is gone.
	var mu sync.Mutex
	var attempts int
	rc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		attempts++
		n := attempts
		mu.Unlock()
		if n == 1 {
			w.Header().Set("Retry-After", "2")
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(rc.Close)
	attempted := func() int { mu.Lock(); defer mu.Unlock(); return attempts }
	sys := auth.System(context.Background())
	wctx := tenant.WithWorkspace(context.Background(), string(ta.db.Read.Workspace.Query().FirstIDX(sys)))
	out := ta.db.Write.Webhook.Create().SetName("out").SetDirection(schematype.DirectionOutbound).
		SetURL(rc.URL).SetEvents([]string{"*"}).SetOutboundAuth(schematype.OutboundNone).SaveX(wctx)
	ev := ta.db.Write.Event.Create().SetType("contact.created").SetData([]byte(`{}`)).SaveX(wctx)
	dl := ta.db.Write.Delivery.Create().SetEventID(ev.ID).SetWebhookID(out.ID).SetNextAttemptAt(time.Now().UTC()).SaveX(wctx)
	testkit.Eventually(t, "the first attempt recorded", func() bool {
		d, err := ta.db.Read.Delivery.Get(sys, dl.ID)
		return err == nil && d.Attempts == 1
	})
	// Webhook changes empty the lookup cache: the cached one is looked up
	// after the last of them.
	uncached := ta.createIn(t, ta.key, map[string]any{"name": "uncached"})
	cached := ta.createIn(t, ta.key, map[string]any{"name": "cached"})
	if r := ta.postJSON(t, cached, `{"before":true}`, nil); r.status != http.StatusAccepted {
		t.Fatalf("before the outage: %d %s", r.status, r.body)
	}

	pg.Stop()
	if n := attempted(); n != 1 {
		t.Fatalf("%d attempts before the outage began, want 1: the retry came due too soon", n)
	}
	if r := ta.send(t, http.MethodGet, "/readyz", "", nil, nil); r.status != http.StatusServiceUnavailable {
		t.Fatalf("/readyz without the database: %d %s", r.status, r.body)
	}
	for _, h := range []inHook{cached, uncached} {
		r := ta.postJSON(t, h, `{"during":true}`, map[string]string{"X-Idempotency-Key": "outage-" + h.id})
		if r.status != http.StatusServiceUnavailable || r.header.Get("Retry-After") == "" {
			t.Fatalf("inbound to %s without the database: %d %s, Retry-After %q", h.id, r.status, r.body, r.header.Get("Retry-After"))
		}
	}
	// One failed to look its webhook up, the other to store its request.
	if lookups, writes := logs.errors("looking up inbound webhook"), logs.errors("accepting inbound request"); lookups == 0 || writes == 0 {
		t.Fatalf("%d failed lookups and %d failed writes logged, want one of each", lookups, writes)
	}
	// The dispatcher went on trying to claim, and failed, while it was gone.
	drain(logs.failed)
	select {
	case <-logs.failed:
	case <-time.After(10 * time.Second):
		t.Fatal("the dispatcher did not try to claim within 10 s of the outage")
	}

	pg.Start()
	for _, h := range []inHook{cached, uncached} {
		var r reply
		testkit.Eventually(t, "inbound accepted again", func() bool {
			r = ta.postJSON(t, h, `{"after":true}`, map[string]string{"X-Idempotency-Key": "outage-" + h.id})
			if r.status != http.StatusAccepted && r.status != http.StatusServiceUnavailable {
				t.Fatalf("inbound to %s as the database returns: %d %s", h.id, r.status, r.body)
			}
			return r.status == http.StatusAccepted
		})
		if r.header.Get("Idempotent-Replayed") != "" {
			t.Fatalf("the key of a request refused during the outage replayed: %s", r.body)
		}
		// What was acknowledged is committed, and only that: the log
		// holds the 202s, and nothing of the 503s.
		logs, err := ta.db.Read.WebhookLog.Query().Where(webhooklog.WebhookID(pulid.ID(h.id))).All(sys)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]int{cached.id: 2, uncached.id: 1}[h.id]
		for _, l := range logs {
			if l.Outcome != schematype.OutcomeAccepted {
				t.Fatalf("%s: a %s row", h.id, l.Outcome)
			}
		}
		if len(logs) != want {
			t.Fatalf("%s: %d log rows, want %d", h.id, len(logs), want)
		}
	}
	if r := ta.send(t, http.MethodGet, "/readyz", "", nil, nil); r.status != http.StatusOK {
		t.Fatalf("/readyz with the database back: %d %s", r.status, r.body)
	}
	testkit.Eventually(t, "the queued delivery delivered", func() bool {
		n, err := ta.db.Read.Delivery.Query().
			Where(delivery.ID(dl.ID), delivery.StatusEQ(schematype.DeliverySucceeded)).Count(sys)
		return err == nil && n == 1
	})
	if n := attempted(); n != 2 {
		t.Fatalf("%d attempts, want 2", n)
	}
}

// logWatch passes log records on, counts the errors by message, and
// signals failed each time the dispatcher's claim of deliveries fails.
type logWatch struct {
	slog.Handler
	*errorCounts
}

type errorCounts struct {
	mu     sync.Mutex
	n      map[string]int
	failed chan struct{}
}

func newLogWatch(next slog.Handler) *logWatch {
	return &logWatch{Handler: next, errorCounts: &errorCounts{n: map[string]int{}, failed: make(chan struct{}, 1)}}
}

func (w *logWatch) Handle(ctx context.Context, r slog.Record) error {
	if r.Level >= slog.LevelError {
		w.mu.Lock()
		w.n[r.Message]++
		w.mu.Unlock()
		if r.Message == "claiming deliveries" {
			select {
			case w.failed <- struct{}{}:
			default:
			}
		}
	}
	return w.Handler.Handle(ctx, r)
}

func (w *logWatch) WithAttrs(as []slog.Attr) slog.Handler {
	return &logWatch{Handler: w.Handler.WithAttrs(as), errorCounts: w.errorCounts}
}

func (w *logWatch) WithGroup(name string) slog.Handler {
	return &logWatch{Handler: w.Handler.WithGroup(name), errorCounts: w.errorCounts}
}

// errors is how many errors were logged with message msg.
func (c *errorCounts) errors(msg string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[msg]
}

// drain empties c of what it held.
func drain(c chan struct{}) {
	for {
		select {
		case <-c:
		default:
			return
		}
	}
}
