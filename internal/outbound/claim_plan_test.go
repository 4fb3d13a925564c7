package outbound

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/db/dbtest"
)

// TestDueQueriesUseTheDueIndex holds both claim queries to the
// (claimed_until, next_attempt_at) index: on any other plan a claim walks
// every leased or pending delivery, and the dispatcher slows as its backlog
// grows.
func TestDueQueriesUseTheDueIndex(t *testing.T) {
	t.Parallel()
	plans := dbtest.QueryPlans(t, func(c *ent.Client) {
		if _, err := dueIDs(auth.System(context.Background()), c, time.Now(), 10); err != nil {
			t.Fatal(err)
		}
	})
	if len(plans) != 2 {
		t.Fatalf("%d queries, want 2 (expired leases, then unleased)", len(plans))
	}
	for _, p := range plans {
		first := strings.Split(p, "\n")[0]
		if !strings.HasPrefix(first, "SEARCH deliveries USING INDEX delivery_claimed_until_next_attempt_at") {
			t.Errorf("claim query plan:\n%s", p)
		}
		if strings.Contains(p, "TEMP B-TREE") {
			t.Errorf("claim query sorts:\n%s", p)
		}
	}
}
