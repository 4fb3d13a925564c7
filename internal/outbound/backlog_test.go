package outbound_test

import (
	"context"
	"testing"
	"time"

	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/outbound"
)

// TestBacklogCountsWhatWaits: the backlog counts the deliveries due and
// claimed by nobody, up to its limit, and how long the oldest has waited;
// a claimed delivery and one not due yet are not waiting.
func TestBacklogCountsWhatWaits(t *testing.T) {
	t.Parallel()
	e := setup(t)
	sys := auth.System(context.Background())
	now := e.clk.now()
	if n, lag, err := outbound.Backlog(sys, e.db.Read, now, 10); err != nil || n != 0 || lag != 0 {
		t.Fatalf("empty queue: %d, %s, %v", n, lag, err)
	}
	e.hook(t, "https://receiver.example", nil, 5)
	var ids []string
	for range 4 {
		ids = append(ids, string(e.emit(t).Deliveries[0].ID))
	}
	// One claimed, one due only later.
	if _, err := e.db.Write.Delivery.UpdateOneID(e.emit(t).Deliveries[0].ID).SetClaimedUntil(now.Add(time.Minute)).Save(sys); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.Write.Delivery.UpdateOneID(e.emit(t).Deliveries[0].ID).SetNextAttemptAt(now.Add(time.Hour)).Save(sys); err != nil {
		t.Fatal(err)
	}
	later := now.Add(90 * time.Second)
	n, lag, err := outbound.Backlog(sys, e.db.Read, later, 10)
	if err != nil || n != len(ids) || lag != 90*time.Second {
		t.Fatalf("Backlog = %d, %s, %v; want %d, 1m30s", n, lag, err, len(ids))
	}
	if n, _, err := outbound.Backlog(sys, e.db.Read, later, 3); err != nil || n != 3 {
		t.Fatalf("Backlog up to 3 = %d, %v", n, err)
	}
}
