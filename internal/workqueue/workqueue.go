package workqueue

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/internal/auth"
)

// Claimer hands out due items under a lease.
type Claimer[T any] interface {
	// Claim leases up to limit due items until now+lease and returns them
	// ready for work.
	Claim(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]T, error)
	// Release drops the leases of items this process will not work on, so
	// they are due again at once instead of when the lease ends.
	Release(ctx context.Context, ids []pulid.ID) error
}

// NextDuer is a Claimer that can tell when its next item not yet due comes
// due: the queue then wakes for it, not only every PollInterval.
type NextDuer interface {
	// NextDue is the earliest time after now an unclaimed item comes due;
	// ok is false when none is scheduled.
	NextDue(ctx context.Context, now time.Time) (at time.Time, ok bool, err error)
}

// Config tunes a Queue. Every duration and count must be positive.
type Config struct {
	Name            string        // what the items are, for logs: "deliveries"
	Workers         int           // items worked on at once at most
	BatchSize       int           // claimed items queued ahead of the workers, and per claim, at most
	Lease           time.Duration // how long a claim holds
	MaxWork         time.Duration // the longest one item's work may take; below Lease
	PollInterval    time.Duration // fallback wake-up when nobody calls Notify
	ShutdownTimeout time.Duration // how long Run waits for work in flight on stop
	Now             func() time.Time
	Log             *slog.Logger
}

// Queue claims items and hands them to workers.
type Queue[T any] struct {
	cfg     Config
	claimer Claimer[T]
	id      func(T) pulid.ID
	wake    chan struct{}
	held    IDSet // claimed by this queue, until its work returned or it was released on stop
}

// New returns a queue over claimer; id names an item for Release.
func New[T any](cfg Config, claimer Claimer[T], id func(T) pulid.ID) (*Queue[T], error) {
	if cfg.Workers <= 0 || cfg.BatchSize <= 0 || cfg.PollInterval <= 0 || cfg.ShutdownTimeout <= 0 {
		return nil, errors.New("workqueue: Workers, BatchSize, PollInterval and ShutdownTimeout must be positive")
	}
	if cfg.MaxWork <= 0 || cfg.Lease <= cfg.MaxWork {
		return nil, errors.New("workqueue: the lease must exceed the longest work, which must be positive")
	}
	if cfg.Now == nil || cfg.Log == nil {
		return nil, errors.New("workqueue: Now and Log are required")
	}
	return &Queue[T]{cfg: cfg, claimer: claimer, id: id, wake: make(chan struct{}, 1)}, nil
}

// Notify wakes the claim loop at once: new items are due. It never blocks,
// and wake-ups that arrive while one is pending coalesce.
func (q *Queue[T]) Notify() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// Run claims items and calls work for each on one of Workers goroutines
// until ctx is done. It claims when Notify wakes it, when the queue has
// drained by a quarter, when the next item comes due (a NextDuer claimer),
// and every PollInterval (rows other processes committed). An item that waited so long in the queue that its
// lease could end during its work is released instead. On stop, queued items
// are released; work in flight gets up to ShutdownTimeout, then the context
// work was given is cancelled, and Run waits for it to return (work that
// cannot finish in time should release its item; see Release).
func (q *Queue[T]) Run(ctx context.Context, work func(context.Context, T)) {
	workCtx, cancelWork := context.WithCancel(auth.System(context.WithoutCancel(ctx)))
	defer cancelWork()
	s := &runState[T]{
		claimCtx: auth.System(ctx), work: workCtx,
		queue: make(chan queued[T], q.cfg.BatchSize), taken: make(chan struct{}, 1),
	}
	var wg sync.WaitGroup
	for range q.cfg.Workers {
		wg.Go(func() { q.worker(s, work) })
	}
	q.claimLoop(ctx, s)
	close(s.queue) // workers release what is left in it, then return
	q.stop(&wg, cancelWork)
}

// claimsInFlight is how many claims the loop keeps going at once. A claim
// is a wait for its turn at the writer (behind a batch of results being
// committed, on SQLite) and then a load of its rows: with one at a time the
// workers drained the queue while it waited, and sat idle for 40% of
// BenchmarkDispatch. With two, one waits while the other's rows load and
// queue up.
const claimsInFlight = 2

// claimed is what one claim of the loop asked for and got.
type claimed struct {
	asked, got int
	wakes      uint64 // the loop's wake-ups when it began
}

// claimLoop keeps the queue filled until ctx is done, with up to
// claimsInFlight claims at once, each for room no other claim holds. When
// a claim comes back short, everything due was claimed: the loop sleeps
// until a wake-up (Notify, the next due item, the poll), unless one came
// while that claim ran.
func (q *Queue[T]) claimLoop(ctx context.Context, s *runState[T]) {
	results := make(chan claimed, claimsInFlight)
	var (
		pending, reserved int    // claims running, and the room they asked for
		wakes             uint64 // Notify calls seen
		drained           bool   // the last claim came back short, with no wake-up since it began
	)
	poll := time.NewTimer(q.cfg.PollInterval)
	defer poll.Stop()
	for ctx.Err() == nil {
		room := cap(s.queue) - len(s.queue) - reserved
		if !drained && pending < claimsInFlight && room >= max(1, cap(s.queue)/4) {
			pending, reserved = pending+1, reserved+room
			go func(limit int, wakes uint64) {
				results <- claimed{asked: limit, got: q.claimInto(s, limit), wakes: wakes}
			}(room, wakes)
			continue
		}
		if drained && pending == 0 {
			poll.Reset(q.untilNext(s.claimCtx))
			wait(ctx, q.wake, poll.C)
			drained = false
			continue
		}
		select {
		case r := <-results:
			pending, reserved = pending-1, reserved-r.asked
			if r.got < r.asked && r.wakes == wakes {
				drained = true
			}
		case <-s.taken: // more room
		case <-q.wake:
			wakes++
			drained = false
		case <-ctx.Done():
		}
	}
	// The claims' rows must reach the queue before it closes: their leases
	// are committed, and the workers release what they find there.
	for ; pending > 0; pending-- {
		<-results
	}
}

// untilNext is how long the claim loop may sleep: until the next item
// comes due, at most PollInterval.
func (q *Queue[T]) untilNext(ctx context.Context) time.Duration {
	nd, ok := q.claimer.(NextDuer)
	if !ok {
		return q.cfg.PollInterval
	}
	now := q.cfg.Now()
	at, ok, err := nd.NextDue(ctx, now)
	if err != nil {
		if ctx.Err() == nil {
			q.cfg.Log.Warn("finding the next "+q.cfg.Name+" due", "err", err)
		}
		return q.cfg.PollInterval
	}
	if !ok {
		return q.cfg.PollInterval
	}
	return min(max(at.Sub(now), time.Millisecond), q.cfg.PollInterval)
}

// runState is what one Run shares with its workers.
type runState[T any] struct {
	claimCtx context.Context // cancelled on stop: no new claims, no new work
	work     context.Context // cancelled only when the shutdown bound passes
	queue    chan queued[T]  // claimed, not yet worked on
	taken    chan struct{}   // a worker took an item from the queue
}

// queued is a claimed item and the time its work must start by to end
// within its lease.
type queued[T any] struct {
	item    T
	startBy time.Time
}

// wait blocks until one of the channels fires or ctx is done.
func wait(ctx context.Context, a <-chan struct{}, b <-chan time.Time) {
	select {
	case <-ctx.Done():
	case <-a:
	case <-b:
	}
}

// claimInto claims up to limit items into the queue, which has room for
// all of them. It returns how many it claimed.
func (q *Queue[T]) claimInto(s *runState[T], limit int) int {
	now := q.cfg.Now()
	batch, err := q.claimer.Claim(s.claimCtx, now, limit, q.cfg.Lease)
	if err != nil {
		if s.claimCtx.Err() == nil {
			q.cfg.Log.Error("claiming "+q.cfg.Name, "err", err)
		}
		return 0
	}
	startBy := now.Add(q.cfg.Lease - q.cfg.MaxWork)
	for _, it := range batch {
		q.held.Add(q.id(it))
		s.queue <- queued[T]{item: it, startBy: startBy}
	}
	return len(batch)
}

// worker works on queued items until the queue is closed. Once Run stops,
// or when an item waited too long, it hands leases back instead.
func (q *Queue[T]) worker(s *runState[T], work func(context.Context, T)) {
	var back []T
	for it := range s.queue {
		select {
		case s.taken <- struct{}{}:
		default:
		}
		switch {
		case s.claimCtx.Err() != nil:
			back = append(back, it.item) // stopping: released together below
			continue
		case q.cfg.Now().After(it.startBy):
			q.Release(s.work, it.item) // due again at once, with a fresh lease
		default:
			work(s.work, it.item)
		}
		// After the work, not in Release: work that releases its item can
		// see it claimed again, by this queue, before it returns.
		q.held.Remove(q.id(it.item))
	}
	q.Release(s.work, back...)
	for _, it := range back {
		q.held.Remove(q.id(it))
	}
}

// stop waits for the workers, bounded by ShutdownTimeout, then cancels the
// work in flight and waits for it to return.
func (q *Queue[T]) stop(wg *sync.WaitGroup, cancelWork context.CancelFunc) {
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
		return
	case <-time.After(q.cfg.ShutdownTimeout):
	}
	q.cfg.Log.Warn("shutdown: cancelling work on " + q.cfg.Name + " in flight")
	cancelWork()
	<-done
}

// Once claims one batch (at most BatchSize items), works on them all at
// once and returns when the work has returned: a synchronous pass for tests
// and tools.
func (q *Queue[T]) Once(ctx context.Context, work func(context.Context, T)) (int, error) {
	ctx = auth.System(ctx)
	batch, err := q.claimer.Claim(ctx, q.cfg.Now(), q.cfg.BatchSize, q.cfg.Lease)
	if err != nil {
		return 0, err
	}
	var wg sync.WaitGroup
	for _, it := range batch {
		q.held.Add(q.id(it))
		wg.Go(func() {
			work(ctx, it)
			q.held.Remove(q.id(it))
		})
	}
	wg.Wait()
	return len(batch), nil
}

// Release hands the leases of items back, logging rather than failing: an
// unreleased lease only delays its item until the lease ends.
func (q *Queue[T]) Release(ctx context.Context, items ...T) {
	if len(items) == 0 {
		return
	}
	ids := make([]pulid.ID, len(items))
	for i, it := range items {
		ids[i] = q.id(it)
	}
	if err := q.claimer.Release(auth.System(context.WithoutCancel(ctx)), ids); err != nil {
		q.cfg.Log.Error("releasing leases of "+q.cfg.Name, "err", err, "count", len(ids))
	}
}

// Holds reports whether this queue claimed item id and its work has not
// returned (nor, on stop, was it handed back): its lease is live, not left
// by a process that died.
func (q *Queue[T]) Holds(id pulid.ID) bool { return q.held.Has(id) }

// IDSet is a set of item ids, safe for concurrent use; an id added twice
// stays until removed twice. The zero IDSet is empty and ready.
type IDSet struct {
	mu sync.Mutex
	m  map[pulid.ID]int
}

// Add puts id in the set.
func (s *IDSet) Add(id pulid.ID) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[pulid.ID]int{}
	}
	s.m[id]++
}

// Remove takes one of id's additions back; an id not in the set is ignored.
func (s *IDSet) Remove(id pulid.ID) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch n := s.m[id]; {
	case n > 1:
		s.m[id] = n - 1
	case n == 1:
		delete(s.m, id)
	}
}

// Has reports whether id is in the set.
func (s *IDSet) Has(id pulid.ID) bool { return s.Count(id) > 0 }

// Count is how many times id is in the set: added and not yet removed.
func (s *IDSet) Count(id pulid.ID) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[id]
}
