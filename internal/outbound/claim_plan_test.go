package outbound

import (
	"entgo.io/ent/dialect"

	"context"
	"slices"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/db/dbtest"
)

// TestDueQueriesUseTheDueIndex holds both claim queries (expired leases,
// then unleased deliveries) to the (claimed_until, next_attempt_at) index:
// on any other plan a claim walks every leased or pending delivery, and the
// dispatcher slows as its backlog grows.
func TestDueQueriesUseTheDueIndex(t *testing.T) {
	t.Parallel()
	dbtest.SQLiteOnly(t) // SQLite's query plans
	dbtest.RequireIndexed(t, 2, "deliveries", "delivery_claimed_until_next_attempt_at_id", func(c *ent.Client) {
		ctx := context.WithValue(auth.System(context.Background()), claimKey{}, &claim{dialect: dialect.SQLite})
		if _, err := Deliveries.DueIDs(ctx, c, time.Now(), 10, false); err != nil {
			t.Fatal(err)
		}
	})
}

// TestReleaseAbandonedUsesTheDueIndex: the start-up release finds leased
// deliveries through the due index, not by reading every delivery.
func TestReleaseAbandonedUsesTheDueIndex(t *testing.T) {
	t.Parallel()
	dbtest.SQLiteOnly(t) // SQLite's query plans
	dbtest.RequireIndexed(t, 1, "deliveries", "delivery_claimed_until_next_attempt_at_id", func(c *ent.Client) {
		if _, err := Deliveries.UnleaseAll(auth.System(context.Background()), c); err != nil {
			t.Fatal(err)
		}
	})
}

// TestBacklogUsesTheDueIndex: what /metrics reads at every scrape finds
// the due deliveries through the due index, never by reading the table.
func TestBacklogUsesTheDueIndex(t *testing.T) {
	t.Parallel()
	dbtest.SQLiteOnly(t) // SQLite's query plans
	dbtest.RequireIndexed(t, 1, "deliveries", "delivery_claimed_until_next_attempt_at_id", func(c *ent.Client) {
		if _, _, err := Backlog(auth.System(context.Background()), c, time.Now(), 10); err != nil {
			t.Fatal(err)
		}
	})
}

// TestLaterRoundsReadOnFromTheLastRow: a claim's later rounds, which read
// past webhooks at their share, go on from the last row read along the due
// index, (next_attempt_at, id) > (the last's), rather than from its start
// again, skipping what they read already.
func TestLaterRoundsReadOnFromTheLastRow(t *testing.T) {
	t.Parallel()
	dbtest.SQLiteOnly(t) // SQLite's query plans
	at := time.Now()
	dbtest.RequireIndexed(t, 1, "deliveries", "delivery_claimed_until_next_attempt_at_id", func(c *ent.Client) {
		s := &sharing{c: c, now: at, shares: map[pulid.ID]*share{"wh_full": {id: "wh_full", full: true}},
			read: &ent.Delivery{ID: "dlv_last", NextAttemptAt: &at}, dialect: dialect.SQLite}
		if _, err := s.candidates(auth.System(context.Background()), 10, false); err != nil {
			t.Fatal(err)
		}
	})
}

// TestLookPastBacksOff: a look past full webhooks that finds nobody else
// doubles the wait for the next, from lookPastEvery up to lookPastAtMost;
// one that finds others, or deliveries created since, bring it back.
func TestLookPastBacksOff(t *testing.T) {
	t.Parallel()
	n := &claimNotes{}
	var waits []time.Duration
	for range 6 {
		n.lookedPast(false)
		waits = append(waits, n.every)
	}
	want := []time.Duration{100, 200, 400, 800, 1600, 1600}
	for i := range want {
		want[i] *= time.Millisecond
	}
	if !slices.Equal(waits, want) {
		t.Fatalf("waits %v, want %v", waits, want)
	}
	if n.mayLookPast() {
		t.Fatal("looked past again at once after finding nobody")
	}
	n.looked = time.Now().Add(-time.Second) // within the 1.6 s
	if n.mayLookPast() {
		t.Fatal("looked past a second after, the wait being 1.6 s")
	}
	n.created()
	if !n.mayLookPast() {
		t.Fatal("deliveries created, yet no look past")
	}
	n.lookedPast(false) // the look that followed: fresh, so the wait is back
	if n.every != lookPastEvery {
		t.Fatalf("wait %v after a look for fresh deliveries, want %v", n.every, lookPastEvery)
	}
	n.lookedPast(false)
	n.lookedPast(true)
	if n.every != lookPastEvery || !n.mayLookPast() {
		t.Fatalf("wait %v after a look that found others, want %v and to look again", n.every, lookPastEvery)
	}
}
