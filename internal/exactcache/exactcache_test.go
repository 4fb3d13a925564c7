package exactcache

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/wexio/webhooks/internal/testkit"
)

// TestGet: a value is loaded once while fresh, loaded again after the TTL
// or after a change, and an error is returned, not cached. (The hook's
// commit and rollback handling is held by outbox.TestSubscriptionsStayExact
// on a real database.)
func TestGet(t *testing.T) {
	t.Parallel()
	loads, fail := 0, false
	clk := testkit.NewClock(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC))
	c := New(time.Minute, clk.Now, func(_ context.Context, k string) (int, error) {
		loads++
		if fail {
			return 0, errors.New("gone")
		}
		return len(k) * loads, nil
	})
	ctx := context.Background()
	get := func(what string, want int, wantOK bool) {
		t.Helper()
		v, ok, err := c.Get(ctx, "ab")
		if err != nil || ok != wantOK || (ok && v != want) {
			t.Fatalf("%s: %d, %v, %v; want %d, %v", what, v, ok, err, want, wantOK)
		}
	}
	get("first", 2, true)
	get("cached", 2, true)
	c.gen.Add(1) // what the hook does on a change
	get("after a change", 4, true)
	clk.Advance(time.Minute - time.Nanosecond)
	get("just within the TTL", 4, true)
	clk.Advance(time.Nanosecond)
	get("after the TTL", 6, true)
	c.pending.Add(1)
	get("while a change is under way", 0, false)
	if loads != 3 {
		t.Fatalf("%d loads, want 3 (none while a change is under way)", loads)
	}
	c.pending.Add(-1)
	c.gen.Add(1)
	fail = true
	if _, _, err := c.Get(ctx, "ab"); err == nil {
		t.Fatal("a failed load did not fail Get")
	}
	if _, cached := c.m["ab"]; cached {
		t.Fatal("a failed load left the key cached")
	}
}
