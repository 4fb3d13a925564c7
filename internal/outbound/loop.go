package outbound

import (
	"context"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/internal/auth"
)

// Run claims and attempts due deliveries until ctx is done. It wakes on
// Notify, when a worker frees up after a full claim, and every PollInterval
// (for retries coming due and for rows other processes committed). On stop
// it waits up to ShutdownTimeout for attempts in flight; those still running
// then are cancelled and their leases released unrecorded, so they are
// attempted again (at-least-once). The groupcommit writer must outlive Run.
func (d *Dispatcher) Run(ctx context.Context) error {
	work, cancelWork := context.WithCancel(auth.System(context.WithoutCancel(ctx)))
	defer cancelWork()
	s := &runState{
		claimCtx: auth.System(ctx), work: work, rec: d.startRecorder(),
		sem: make(chan struct{}, d.cfg.Workers), freed: make(chan struct{}, 1),
	}
	poll := time.NewTimer(d.cfg.PollInterval)
	defer poll.Stop()
	for ctx.Err() == nil {
		free := d.cfg.Workers - len(s.sem)
		if free < max(1, d.cfg.BatchSize/4) {
			d.wait(ctx, s.freed, nil) // too few idle workers to be worth a claim
			continue
		}
		limit := min(d.cfg.BatchSize, free)
		if d.claimAndStart(s, limit) == limit {
			continue // probably more due: claim again without waiting
		}
		poll.Reset(d.cfg.PollInterval)
		d.wait(ctx, d.wake, poll.C)
	}
	d.stop(cancelWork)
	s.rec.stop()
	return nil
}

// runState is what one Run shares with the attempts it starts.
type runState struct {
	claimCtx context.Context // cancelled on stop: no new claims
	work     context.Context // cancelled only when the shutdown bound passes
	rec      *recorder
	sem      chan struct{} // a slot per attempt in flight
	freed    chan struct{} // an attempt finished
}

// wait blocks until one of the channels fires or ctx is done.
func (d *Dispatcher) wait(ctx context.Context, a <-chan struct{}, b <-chan time.Time) {
	select {
	case <-ctx.Done():
	case <-a:
	case <-b:
	}
}

// claimAndStart claims up to limit deliveries and starts an attempt for
// each; sem has room for all of them. It returns how many it claimed.
func (d *Dispatcher) claimAndStart(s *runState, limit int) int {
	batch, err := d.deps.Claimer.Claim(s.claimCtx, d.cfg.Now(), limit, d.cfg.Lease)
	if err != nil {
		if s.claimCtx.Err() == nil {
			d.cfg.Log.Error("claiming deliveries", "err", err)
		}
		return 0
	}
	for i, dl := range batch {
		if s.claimCtx.Err() != nil {
			d.release(s.work, batch[i:]) // stopping: hand the rest back now
			break
		}
		s.sem <- struct{}{}
		d.wg.Add(1)
		go func() {
			defer d.wg.Done()
			d.attempt(s.work, s.rec, dl)
			<-s.sem
			select {
			case s.freed <- struct{}{}:
			default:
			}
		}()
	}
	return len(batch)
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
		go func() { defer d.wg.Done(); d.attempt(ctx, rec, dl) }()
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
