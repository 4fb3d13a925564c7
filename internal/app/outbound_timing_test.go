package app

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent/webhooklog"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/config"
	"github.com/wexio/webhooks/internal/testkit"
)

// TestRetryIsAttemptedWhenDue: a retry is attempted within 100 ms of the
// nextRetryAt its failed attempt logged, not at the dispatcher's next
// poll (a second): the dispatcher sleeps until the next due delivery.
func TestRetryIsAttemptedWhenDue(t *testing.T) {
	t.Parallel()
	ta := newTestAppWith(t, func(c *config.Config) {
		c.AllowPrivateNetworks = true
		c.OutboundBackoffBase, c.OutboundBackoffFactor = 1500*time.Millisecond, 1
	})
	var mu sync.Mutex
	var at []time.Time
	rc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		at = append(at, time.Now())
		n := len(at)
		mu.Unlock()
		if n == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	t.Cleanup(rc.Close)
	ta.ok(t, ta.key, createOutbound, map[string]any{"in": map[string]any{
		"name": "crm", "url": rc.URL, "events": []string{"contact.created"}}})
	ta.ok(t, ta.key, `mutation { createContact(input: {name: "Ada"}) { id } }`, nil)
	ctx := auth.System(t.Context())
	var due time.Time
	testkit.Eventually(t, "the failed attempt logged with its retry", func() bool {
		l, err := ta.db.Read.WebhookLog.Query().Where(webhooklog.NextRetryAtNotNil()).First(ctx)
		if err != nil {
			return false
		}
		due = *l.NextRetryAt
		return true
	})
	testkit.Eventually(t, "the retry", func() bool { mu.Lock(); defer mu.Unlock(); return len(at) == 2 })
	mu.Lock()
	late := at[1].Sub(due)
	mu.Unlock()
	if late < -5*time.Millisecond || late > 100*time.Millisecond {
		t.Fatalf("retry attempted %s after its nextRetryAt %s", late, due.Format(time.StampMilli))
	}
}
