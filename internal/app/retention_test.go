package app

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/config"
	"github.com/wexio/webhooks/internal/testkit"
)

// TestServerPrunesExpiredHistory: a running server keeps history for
// WEXIO_RETENTION only, inbound rows included. A second server over the same
// database prunes at start, as a restarted one does.
func TestServerPrunesExpiredHistory(t *testing.T) {
	t.Parallel()
	ta := newTestAppWith(t, func(c *config.Config) { c.Retention = 48 * time.Hour })
	h := ta.createIn(t, ta.key, map[string]any{})
	id := func() string {
		t.Helper()
		var r struct{ ID string }
		if err := json.Unmarshal([]byte(ta.postJSON(t, h, `{}`, nil).body), &r); err != nil || r.ID == "" {
			t.Fatalf("no log id in the answer: %v", err)
		}
		return r.ID
	}
	keptID, expiredID := id(), id()
	// Its time, and its id, which follows it (history: the pruner finds
	// expired rows by id).
	old := time.Now().Add(-49 * time.Hour).UTC()
	oldID := "log_" + ulid.MustNew(ulid.Timestamp(old), rand.Reader).String()
	ta.exec(t, "UPDATE webhook_logs SET occurred_at = ?, id = ? WHERE id = ?", old, oldID, expiredID)
	newTestAppWith(t, func(c *config.Config) {
		c.DatabaseURL, c.SecretKey, c.Retention = ta.cfg.DatabaseURL, ta.cfg.SecretKey, 48*time.Hour
	})
	ctx := auth.System(context.Background())
	testkit.Eventually(t, "the expired inbound row to be pruned", func() bool {
		n, err := ta.db.Read.WebhookLog.Query().Count(ctx)
		return err == nil && n == 1
	})
	if _, err := ta.db.Read.WebhookLog.Get(ctx, pulid.ID(keptID)); err != nil {
		t.Fatalf("the row within retention is gone: %v", err)
	}
}
