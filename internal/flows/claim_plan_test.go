package flows

import (
	"context"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/db/dbtest"
)

// TestDueQueriesUseTheDueIndex holds both claim queries to the
// (claimed_until, next_attempt_at) index, so a claim never walks the runs
// in flight or the finished ones.
func TestDueQueriesUseTheDueIndex(t *testing.T) {
	t.Parallel()
	dbtest.SQLiteOnly(t) // SQLite's query plans
	dbtest.RequireIndexed(t, 2, "flow_runs", "flowrun_claimed_until_next_attempt_at", func(c *ent.Client) {
		if _, err := Runs.DueIDs(auth.System(context.Background()), c, time.Now(), 10, false); err != nil {
			t.Fatal(err)
		}
	})
}

// TestReleaseAbandonedUsesTheDueIndex: the start-up release finds leased
// runs through the due index, not by reading every run.
func TestReleaseAbandonedUsesTheDueIndex(t *testing.T) {
	t.Parallel()
	dbtest.SQLiteOnly(t) // SQLite's query plans
	dbtest.RequireIndexed(t, 1, "flow_runs", "flowrun_claimed_until_next_attempt_at", func(c *ent.Client) {
		if _, err := Runs.UnleaseAll(auth.System(context.Background()), c); err != nil {
			t.Fatal(err)
		}
	})
}
