package workqueue_test

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/internal/testkit"
	"github.com/wexio/webhooks/internal/workqueue"
)

// table is an in-memory table of items with leases, the way the SQLite
// claimers keep them in rows (those are tested against SQLite in outbound
// and flows).
type table struct {
	mu       sync.Mutex
	until    map[pulid.ID]time.Time // leased until; absent: done
	order    []pulid.ID
	released []pulid.ID
}

func newTable(n int) *table {
	t := &table{until: map[pulid.ID]time.Time{}}
	for i := range n {
		id := pulid.ID(fmt.Sprintf("it_%03d", i))
		t.until[id] = time.Time{}
		t.order = append(t.order, id)
	}
	return t
}

func (t *table) Claim(_ context.Context, now time.Time, limit int, lease time.Duration) ([]pulid.ID, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []pulid.ID
	for _, id := range t.order {
		if u, ok := t.until[id]; ok && !u.After(now) && len(out) < limit {
			t.until[id] = now.Add(lease)
			out = append(out, id)
		}
	}
	return out, nil
}

func (t *table) Release(_ context.Context, ids []pulid.ID) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, id := range ids {
		if _, ok := t.until[id]; ok {
			t.until[id] = time.Time{}
		}
		t.released = append(t.released, id)
	}
	return nil
}

func (t *table) done(id pulid.ID) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.until, id)
}

func (t *table) left() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.until)
}

func (t *table) releases() []pulid.ID {
	t.mu.Lock()
	defer t.mu.Unlock()
	return slices.Clone(t.released)
}

func config(workers, batch int) workqueue.Config {
	return workqueue.Config{
		Name: "items", Workers: workers, BatchSize: batch, Lease: time.Minute, MaxWork: 30 * time.Second,
		PollInterval: time.Hour, ShutdownTimeout: 50 * time.Millisecond, Now: time.Now, Log: slog.New(slog.DiscardHandler),
	}
}

func id(s pulid.ID) pulid.ID { return s }

// TestRunWorksEveryItemOnce: more items than the queue holds, woken once,
// are all worked on exactly once, and nothing is released.
func TestRunWorksEveryItemOnce(t *testing.T) {
	t.Parallel()
	tb := newTable(100)
	q, err := workqueue.New(config(4, 8), tb, id)
	if err != nil {
		t.Fatal(err)
	}
	r := runCounted(q, tb, 0)
	q.Notify()
	testkit.Eventually(t, "every item to be worked on", func() bool { return tb.left() == 0 })
	seen := r.stop()
	if len(seen) != 100 {
		t.Fatalf("worked on %d items", len(seen))
	}
	for it, n := range seen {
		if n != 1 {
			t.Fatalf("%s worked on %d times", it, n)
		}
	}
	if r := tb.releases(); len(r) != 0 {
		t.Fatalf("released %v", r)
	}
}

// TestStopReleasesQueuedAndCancelsLateWork: on stop, items still queued are
// handed back, and work outliving ShutdownTimeout sees its context end.
func TestStopReleasesQueuedAndCancelsLateWork(t *testing.T) {
	t.Parallel()
	tb := newTable(3)
	q, err := workqueue.New(config(1, 3), tb, id)
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan pulid.ID, 3)
	cancelled := make(chan pulid.ID, 3)
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		q.Run(ctx, func(ctx context.Context, it pulid.ID) {
			started <- it
			<-ctx.Done() // never finishes on its own
			cancelled <- it
		})
	}()
	q.Notify()
	first := <-started
	cancel()
	select {
	case <-stopped:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return")
	}
	if got := <-cancelled; got != first {
		t.Fatalf("cancelled %s, want %s", got, first)
	}
	r := tb.releases()
	slices.Sort(r)
	want := []pulid.ID{"it_000", "it_001", "it_002"}
	want = slices.DeleteFunc(want, func(id pulid.ID) bool { return id == first })
	if !slices.Equal(r, want) {
		t.Fatalf("released %v, want the queued %v", r, want)
	}
	if len(started) != 0 {
		t.Fatal("work started after the stop")
	}
}

func TestNewRefusesALeaseShorterThanTheWork(t *testing.T) {
	t.Parallel()
	cfg := config(1, 1)
	cfg.MaxWork = cfg.Lease
	if _, err := workqueue.New(cfg, newTable(0), id); err == nil {
		t.Fatal("accepted a lease no longer than the work")
	}
}

// TestHoldsFromClaimToTheEndOfTheWork: an item is held from its claim
// until its work returns, and not after. Work that releases its item can
// see it claimed again before it returns: the new claim's hold must
// outlast the old work.
func TestHoldsFromClaimToTheEndOfTheWork(t *testing.T) {
	t.Parallel()
	tb := newTable(1)
	it := pulid.ID("it_000")
	q, err := workqueue.New(config(1, 1), tb, id)
	if err != nil {
		t.Fatal(err)
	}
	var held []bool
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		q.Run(ctx, func(ctx context.Context, got pulid.ID) {
			held = append(held, q.Holds(got)) // one worker: no race
			if len(held) == 1 {
				q.Release(ctx, got)
				q.Notify()
				// Return only once the queue has claimed it again.
				for !tb.leased(got) {
					time.Sleep(time.Millisecond)
				}
				return
			}
			tb.done(got)
		})
	}()
	q.Notify()
	testkit.Eventually(t, "the item to be worked on twice", func() bool { return tb.left() == 0 })
	testkit.Eventually(t, "the hold to end with the last work", func() bool { return !q.Holds(it) })
	cancel()
	<-stopped
	if len(held) != 2 || !held[0] || !held[1] {
		t.Fatalf("held while worked on: %v, want [true true]", held)
	}
}

func (t *table) leased(id pulid.ID) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return !t.until[id].IsZero()
}

// slowTable is a table whose claims wait until let is closed, noting the
// limits they asked for and how many ran at once.
type slowTable struct {
	*table
	let                         chan struct{}
	mu                          sync.Mutex
	running, most, sum, mostSum int
	limits                      []int
}

func (s *slowTable) Claim(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]pulid.ID, error) {
	s.mu.Lock()
	s.running++
	s.most = max(s.most, s.running)
	s.sum += limit
	s.mostSum = max(s.mostSum, s.sum)
	s.limits = append(s.limits, limit)
	s.mu.Unlock()
	<-s.let
	defer func() { s.mu.Lock(); s.running--; s.sum -= limit; s.mu.Unlock() }()
	return s.table.Claim(ctx, now, limit, lease)
}

// TestTwoClaimsInFlightShareTheRoom: while a claim waits (its turn at the
// writer), a second one starts for room the first does not hold; the two
// never ask together for more than the queue has room for, and every item
// is still worked on once.
func TestTwoClaimsInFlightShareTheRoom(t *testing.T) {
	t.Parallel()
	st := &slowTable{table: newTable(200), let: make(chan struct{})}
	q, err := workqueue.New(config(1, 40), st, id)
	if err != nil {
		t.Fatal(err)
	}
	r := runCounted(q, st.table, 100*time.Microsecond) // the queue drains while claims wait
	q.Notify()
	// The first claim waits, with the queue empty: it asks for all of it.
	testkit.Eventually(t, "a claim to start", func() bool { st.mu.Lock(); defer st.mu.Unlock(); return st.running == 1 })
	st.mu.Lock()
	first := st.limits[0]
	st.mu.Unlock()
	if first != 40 {
		t.Fatalf("the first claim asked for %d, want the whole queue, 40", first)
	}
	// Let claims through one at a time, each once a second one waits or
	// after a while: the worker drains what the last one returned
	// meanwhile, and the room it frees is asked for by the next.
	go func() {
		for {
			deadline := time.Now().Add(20 * time.Millisecond)
			for time.Now().Before(deadline) {
				st.mu.Lock()
				two := st.running == 2
				st.mu.Unlock()
				if two {
					break
				}
				time.Sleep(time.Millisecond)
			}
			select {
			case st.let <- struct{}{}:
			case <-r.stopped:
				return
			}
		}
	}()
	testkit.Eventually(t, "every item to be worked on", func() bool { return st.left() == 0 })
	seen := r.stop()
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.most != 2 {
		t.Fatalf("at most %d claims ran at once, want 2", st.most)
	}
	if st.mostSum > 40 {
		t.Fatalf("claims running together asked for %d, more than the queue's 40", st.mostSum)
	}
	for it, n := range seen {
		if n != 1 {
			t.Fatalf("%s worked on %d times", it, n)
		}
	}
	if len(seen) != 200 {
		t.Fatalf("worked on %d items, want 200", len(seen))
	}
}

// counted is a Run of a queue over a table whose items' work is counted.
type counted struct {
	cancel  context.CancelFunc
	stopped chan struct{}
	mu      sync.Mutex
	seen    map[pulid.ID]int
}

// runCounted runs q until stop, each item's work taking pause, counted
// and then marked done in tb.
func runCounted(q *workqueue.Queue[pulid.ID], tb *table, pause time.Duration) *counted {
	ctx, cancel := context.WithCancel(context.Background())
	r := &counted{cancel: cancel, stopped: make(chan struct{}), seen: map[pulid.ID]int{}}
	go func() {
		defer close(r.stopped)
		q.Run(ctx, func(_ context.Context, it pulid.ID) {
			time.Sleep(pause)
			r.mu.Lock()
			r.seen[it]++
			r.mu.Unlock()
			tb.done(it)
		})
	}()
	return r
}

// stop ends the Run and returns how many times each item was worked on.
func (r *counted) stop() map[pulid.ID]int {
	r.cancel()
	<-r.stopped
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.seen
}
