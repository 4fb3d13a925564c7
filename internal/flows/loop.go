package flows

import (
	"context"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/internal/auth"
)

// Run claims and executes due runs until ctx is done. It wakes on Notify,
// when a worker frees up after a full claim, and every PollInterval. On stop
// it claims nothing more, hands back the leases of runs not started, and
// waits for the runs in flight: each is one short write job, so they finish
// (or fail and are due again later). The groupcommit writer must outlive Run.
func (r *Runner) Run(ctx context.Context) error {
	s := &loopState{claimCtx: auth.System(ctx), sem: make(chan struct{}, r.cfg.Workers), freed: make(chan struct{}, 1)}
	poll := time.NewTimer(r.cfg.PollInterval)
	defer poll.Stop()
	for ctx.Err() == nil {
		free := r.cfg.Workers - len(s.sem)
		if free < max(1, r.cfg.BatchSize/4) {
			wait(ctx, s.freed, nil) // too few idle workers to be worth a claim
			continue
		}
		limit := min(r.cfg.BatchSize, free)
		if r.claimAndStart(s, limit) == limit {
			continue // probably more due: claim again without waiting
		}
		poll.Reset(r.cfg.PollInterval)
		wait(ctx, r.wake, poll.C)
	}
	r.wg.Wait()
	return nil
}

// loopState is what one Run shares with the runs it starts.
type loopState struct {
	claimCtx context.Context // cancelled on stop: no new claims
	sem      chan struct{}   // a slot per run in flight
	freed    chan struct{}   // a run finished
}

// wait blocks until one of the channels fires or ctx is done.
func wait(ctx context.Context, a <-chan struct{}, b <-chan time.Time) {
	select {
	case <-ctx.Done():
	case <-a:
	case <-b:
	}
}

// claimAndStart claims up to limit runs and starts each; sem has room for
// all of them. It returns how many it claimed.
func (r *Runner) claimAndStart(s *loopState, limit int) int {
	batch, err := r.deps.Claimer.Claim(s.claimCtx, r.cfg.Now(), limit, r.cfg.Lease)
	if err != nil {
		if s.claimCtx.Err() == nil {
			r.cfg.Log.Error("claiming flow runs", "err", err)
		}
		return 0
	}
	for i, run := range batch {
		if s.claimCtx.Err() != nil {
			r.release(batch[i:]) // stopping: hand the rest back now
			break
		}
		s.sem <- struct{}{}
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			r.execute(run)
			<-s.sem
			select {
			case s.freed <- struct{}{}:
			default:
			}
		}()
	}
	return len(batch)
}

// Once claims one batch (at most BatchSize runs), executes them all and
// returns when they are committed: a synchronous pass for tests and tools.
func (r *Runner) Once(ctx context.Context) (int, error) {
	batch, err := r.deps.Claimer.Claim(auth.System(ctx), r.cfg.Now(), r.cfg.BatchSize, r.cfg.Lease)
	if err != nil {
		return 0, err
	}
	for _, run := range batch {
		r.wg.Add(1)
		go func() { defer r.wg.Done(); r.execute(run) }()
	}
	r.wg.Wait()
	return len(batch), nil
}

// release hands leases back, logging rather than failing: an unreleased
// lease only delays the run until it expires.
func (r *Runner) release(batch []*ent.FlowRun) {
	ids := make([]pulid.ID, len(batch))
	for i, run := range batch {
		ids[i] = run.ID
	}
	if err := r.deps.Claimer.Release(auth.System(context.Background()), ids); err != nil {
		r.cfg.Log.Error("releasing flow run leases", "err", err, "runs", len(ids))
	}
}
