package outbound

import (
	"context"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/internal/auth"
)

// Run claims and attempts due deliveries until ctx is done. A claim loop
// keeps a queue of up to BatchSize claimed deliveries topped up while
// Workers goroutines attempt them, so claiming (a writer job) overlaps the
// attempts instead of waiting for slots: the claim round trip was what
// bounded throughput (BenchmarkDispatch). It claims when Notify wakes it,
// when the queue has drained by a quarter, and every PollInterval (retries
// coming due, rows other processes committed). A queued delivery whose
// lease could run out during its attempt is released instead of attempted.
// On stop, queued deliveries are released; attempts in flight get up to
// ShutdownTimeout, then are cancelled and released unrecorded, so they are
// attempted again (at-least-once). The groupcommit writer must outlive Run.
func (d *Dispatcher) Run(ctx context.Context) error {
	work, cancelWork := context.WithCancel(auth.System(context.WithoutCancel(ctx)))
	defer cancelWork()
	s := &runState{
		claimCtx: auth.System(ctx), work: work, rec: d.startRecorder(),
		queue: make(chan queued, d.cfg.BatchSize), taken: make(chan struct{}, 1),
	}
	for range d.cfg.Workers {
		d.wg.Add(1)
		go d.worker(s)
	}
	poll := time.NewTimer(d.cfg.PollInterval)
	defer poll.Stop()
	for ctx.Err() == nil {
		room := cap(s.queue) - len(s.queue)
		if room < max(1, cap(s.queue)/4) {
			d.wait(ctx, s.taken, nil) // too little room to be worth a claim
			continue
		}
		if d.claimInto(s, room) == room {
			continue // probably more due: claim again without waiting
		}
		poll.Reset(d.cfg.PollInterval)
		d.wait(ctx, d.wake, poll.C)
	}
	close(s.queue) // workers release what is left in it, then exit
	d.stop(cancelWork)
	s.rec.stop()
	return nil
}

// runState is what one Run shares with its workers.
type runState struct {
	claimCtx context.Context // cancelled on stop: no new claims, no new attempts
	work     context.Context // cancelled only when the shutdown bound passes
	rec      *recorder
	queue    chan queued   // claimed, not yet attempted
	taken    chan struct{} // a worker took a delivery from the queue
}

// queued is a claimed delivery and the time its attempt must start by for
// the attempt to end within its lease.
type queued struct {
	dl      *ent.Delivery
	startBy time.Time
}

// wait blocks until one of the channels fires or ctx is done.
func (d *Dispatcher) wait(ctx context.Context, a <-chan struct{}, b <-chan time.Time) {
	select {
	case <-ctx.Done():
	case <-a:
	case <-b:
	}
}

// claimInto claims up to limit deliveries into the queue, which has room
// for all of them. It returns how many it claimed.
func (d *Dispatcher) claimInto(s *runState, limit int) int {
	now := d.cfg.Now()
	batch, err := d.deps.Claimer.Claim(s.claimCtx, now, limit, d.cfg.Lease)
	if err != nil {
		if s.claimCtx.Err() == nil {
			d.cfg.Log.Error("claiming deliveries", "err", err)
		}
		return 0
	}
	startBy := now.Add(d.cfg.Lease - MaxAttemptTimeout)
	for _, dl := range batch {
		s.queue <- queued{dl: dl, startBy: startBy}
	}
	return len(batch)
}

// worker attempts queued deliveries until the queue is closed. Once Run
// stops, or when a delivery waited too long, it hands leases back instead.
func (d *Dispatcher) worker(s *runState) {
	defer d.wg.Done()
	var back []*ent.Delivery
	for q := range s.queue {
		select {
		case s.taken <- struct{}{}:
		default:
		}
		if s.claimCtx.Err() != nil {
			back = append(back, q.dl) // stopping: released together below
			continue
		}
		if d.cfg.Now().After(q.startBy) {
			d.release(s.work, []*ent.Delivery{q.dl}) // due again at once, with a fresh lease
			continue
		}
		d.attempt(s.work, s.rec, q.dl, false)
	}
	if len(back) > 0 {
		d.release(s.work, back)
	}
}

// stop waits for attempts in flight, bounded by ShutdownTimeout, then
// cancels the stragglers and waits for them to hand back their leases.
func (d *Dispatcher) stop(cancelWork context.CancelFunc) {
	done := make(chan struct{})
	go func() { d.wg.Wait(); close(done) }()
	select {
	case <-done:
		return
	case <-time.After(d.cfg.ShutdownTimeout):
	}
	d.cfg.Log.Warn("shutdown: cancelling attempts in flight")
	cancelWork()
	<-done
}

// Once claims one batch (at most Workers deliveries), attempts them all and
// returns when they are recorded: a synchronous pass for tests and tools.
func (d *Dispatcher) Once(ctx context.Context) (int, error) {
	ctx = auth.System(ctx)
	batch, err := d.deps.Claimer.Claim(ctx, d.cfg.Now(), min(d.cfg.BatchSize, d.cfg.Workers), d.cfg.Lease)
	if err != nil {
		return 0, err
	}
	rec := d.startRecorder()
	for _, dl := range batch {
		d.wg.Add(1)
		go func() { defer d.wg.Done(); d.attempt(ctx, rec, dl, true) }()
	}
	d.wg.Wait()
	rec.stop()
	return len(batch), nil
}

// release hands leases back, logging rather than failing: an unreleased
// lease only delays the delivery until it expires.
func (d *Dispatcher) release(ctx context.Context, batch []*ent.Delivery) {
	ids := make([]pulid.ID, len(batch))
	for i, dl := range batch {
		ids[i] = dl.ID
	}
	if err := d.deps.Claimer.Release(context.WithoutCancel(ctx), ids); err != nil {
		d.cfg.Log.Error("releasing leases", "err", err, "deliveries", len(ids))
	}
}
