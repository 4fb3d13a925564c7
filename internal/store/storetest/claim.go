package storetest

import (
	"sync"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent/schema/pulid"
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

	got, err := c.Claim(f.sys, now, 20, lease)
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
				batch, err := c.Claim(f.sys, now, 3, lease)
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
	again, err := c.Claim(f.sys, now, 50, lease)
	if err != nil || len(again) != 5 {
		t.Fatalf("after Release, Claim = %d rows, %v; want the 5 released", len(again), err)
	}
	later, err := c.Claim(f.sys, now.Add(lease+time.Second), 100, lease)
	if err != nil || len(later) != len(ids) {
		t.Fatalf("after the leases ended, Claim = %d rows, %v; want %d", len(later), err, len(ids))
	}

	// ReleaseAbandoned drops every lease, and only leases.
	n, err := c.ReleaseAbandoned(f.sys)
	if err != nil || n != len(ids) {
		t.Fatalf("ReleaseAbandoned = %d, %v; want %d", n, err, len(ids))
	}
	all, err := c.Claim(f.sys, now, 100, lease)
	if err != nil || len(all) != len(ids) {
		t.Fatalf("after ReleaseAbandoned, Claim = %d rows, %v; want %d", len(all), err, len(ids))
	}
}

// testWorkers: on a store whose processes share a host, the first worker
// to join works alone, and one joining beside it does not.
func testWorkers(t *testing.T, open Open) {
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
	b, err := st.JoinWorkers()
	if err != nil {
		t.Fatal(err)
	}
	defer b.Release()
	if b.Sole() {
		t.Fatal("a worker joining beside a running one is Sole")
	}
}
