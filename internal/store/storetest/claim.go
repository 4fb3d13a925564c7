package storetest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/delivery"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/testkit"
)

// testClaimer: a claim leases due rows, at most limit, never the same row
// to two claimers at once; leased rows are not claimed again until their
// lease ends; released rows are due again at once; ReleaseAbandoned drops
// every lease.
func testClaimer(t *testing.T, open Open) {
	f := newFixture(t, open)
	c := f.st.Claimer(leases)
	now := time.Now().UTC()
	lease := 10 * time.Minute
	ids := f.deliveries(t, 50, now.Add(-time.Second))
	f.deliveries(t, 5, now.Add(time.Hour)) // not due

	got, _, err := c.Claim(f.sys, now, 20, lease)
	if err != nil || len(got) != 20 {
		t.Fatalf("Claim = %d rows, %v; want 20", len(got), err)
	}
	// Eight claimers at once share the other 30 without overlap.
	var mu sync.Mutex
	seen := map[pulid.ID]int{}
	for _, id := range got {
		seen[id]++
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for {
				batch, _, err := c.Claim(f.sys, now, 3, lease)
				if err != nil {
					t.Errorf("concurrent Claim: %v", err)
					return
				}
				if len(batch) == 0 {
					return
				}
				mu.Lock()
				for _, id := range batch {
					seen[id]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(seen) != len(ids) {
		t.Fatalf("claimed %d distinct rows, want %d", len(seen), len(ids))
	}
	for id, n := range seen {
		if n != 1 {
			t.Fatalf("%s claimed %d times while leased", id, n)
		}
	}

	// Released: due again at once. Leased: claimed again once the lease
	// has ended (a worker that died), not before.
	if err := c.Release(f.sys, got[:5]); err != nil {
		t.Fatal(err)
	}
	again, _, err := c.Claim(f.sys, now, 50, lease)
	if err != nil || len(again) != 5 {
		t.Fatalf("after Release, Claim = %d rows, %v; want the 5 released", len(again), err)
	}
	later, _, err := c.Claim(f.sys, now.Add(lease+time.Second), 100, lease)
	if err != nil || len(later) != len(ids) {
		t.Fatalf("after the leases ended, Claim = %d rows, %v; want %d", len(later), err, len(ids))
	}

	// ReleaseAbandoned drops every lease, and only leases.
	n, err := c.ReleaseAbandoned(f.sys)
	if err != nil || n != len(ids) {
		t.Fatalf("ReleaseAbandoned = %d, %v; want %d", n, err, len(ids))
	}
	all, _, err := c.Claim(f.sys, now, 100, lease)
	if err != nil || len(all) != len(ids) {
		t.Fatalf("after ReleaseAbandoned, Claim = %d rows, %v; want %d", len(all), err, len(ids))
	}
}

// testClaimCancelledMidway: a claim whose caller gives up while its lease
// is being written either leases nothing and fails, or leases exactly
// what it returns. Where claims are jobs of the one writer's batches (no
// row locks), a job once started runs to its end, whatever its caller
// does: it must not abort the batch it shares with others' writes.
func testClaimCancelledMidway(t *testing.T, open Open) {
	f := newFixture(t, open)
	now := time.Now().UTC()
	ids := f.deliveries(t, 3, now.Add(-time.Second))
	ctx, giveUp := context.WithCancel(f.sys)
	defer giveUp()
	table := leases
	table.Lease = func(lctx context.Context, c *ent.Client, ids []pulid.ID, now, until time.Time, token string) error {
		giveUp()
		return leases.Lease(lctx, c, ids, now, until, token)
	}
	got, token, err := f.st.Claimer(table).Claim(ctx, now, 10, 10*time.Minute)
	leased, qerr := f.st.Read.Delivery.Query().Where(delivery.ClaimedUntilNotNil()).IDs(f.sys)
	if qerr != nil {
		t.Fatal(qerr)
	}
	switch {
	case err != nil && len(leased) > 0:
		t.Fatalf("claim failed (%v) and left %d leases", err, len(leased))
	case err != nil && !f.st.Caps.RowLocks:
		t.Fatalf("a claim whose writer job had started failed with its caller: %v", err)
	case err == nil && (len(got) != len(ids) || len(leased) != len(ids) || token == ""):
		t.Fatalf("claim returned %d rows (token %q), %d leased; want %d", len(got), token, len(leased), len(ids))
	}
}

// testWorkers: the first server to join the workers of a fresh database
// works alone, and one joining beside it does not.
func testWorkers(t *testing.T, open Open, again Again) {
	st := open(t)
	t.Cleanup(func() { _ = st.Close() })
	a, err := st.JoinWorkers()
	if err != nil {
		t.Fatal(err)
	}
	defer a.Release()
	if !a.Sole() {
		t.Fatal("the first worker on a fresh store is not Sole")
	}
	other := again(t, st)
	t.Cleanup(func() { _ = other.Close() })
	b, err := other.JoinWorkers()
	if err != nil {
		t.Fatal(err)
	}
	defer b.Release()
	if b.Sole() {
		t.Fatal("a worker joining beside a running one is Sole")
	}
}

// testTakeover: on a database several hosts share, the rows a server that
// died had claimed are released by the living within a few heartbeats,
// not when their leases run out; and the dead one, should it come back,
// finishes none of them. (On one host, a server starting alone releases
// them: the sqlite store's WorkerLock.)
func testTakeover(t *testing.T, open Open, again Again) {
	st := open(t)
	if st.Caps.SameHost {
		_ = st.Close()
		t.Skip("a store on one host releases a dead server's leases at the next sole start")
	}
	dead := fixtureOn(t, st)
	if _, err := st.JoinWorkers(); err != nil {
		t.Fatal(err)
	}
	ids := dead.deliveries(t, 3, time.Now().Add(-time.Second))
	got, token, err := st.Claimer(leases).Claim(dead.sys, time.Now(), 10, 10*time.Minute)
	if err != nil || len(got) != len(ids) {
		t.Fatalf("Claim = %d rows, %v", len(got), err)
	}
	living := again(t, st)
	t.Cleanup(func() { _ = living.Close() })
	lock, err := living.JoinWorkers()
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Release()
	c := living.Claimer(leases)
	// Killed: the store stops without leaving the workers.
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	var taken []pulid.ID
	testkit.Eventually(t, "the living to claim the dead server's deliveries", func() bool {
		batch, _, err := c.Claim(dead.sys, time.Now(), 10, 10*time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		taken = append(taken, batch...)
		return len(taken) == len(ids)
	})
	n, err := living.Write.Delivery.Update().Where(delivery.IDIn(ids...), delivery.ClaimToken(token)).
		SetStatus(schematype.DeliverySucceeded).Save(dead.sys)
	if err != nil || n != 0 {
		t.Fatalf("the dead server's token still finishes %d rows (%v)", n, err)
	}
}
