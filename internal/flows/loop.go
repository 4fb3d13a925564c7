package flows

import (
	"context"

	"github.com/wexio/webhooks/ent"
)

// Run claims and executes due runs until ctx is done, through the work
// queue (internal/workqueue): claimed ahead of Workers goroutines. On stop
// it claims nothing more, hands back the leases of runs not started, and
// waits for the runs in flight: each is one short write job, so they finish
// (or fail and are due again later). The groupcommit writer must outlive Run.
func (r *Runner) Run(ctx context.Context) error {
	r.queue.Run(ctx, func(_ context.Context, run *ent.FlowRun) { r.execute(run) })
	return nil
}

// Once claims one batch (at most BatchSize runs), executes them all and
// returns when they are committed: a synchronous pass for tests and tools.
func (r *Runner) Once(ctx context.Context) (int, error) {
	return r.queue.Once(ctx, func(_ context.Context, run *ent.FlowRun) { r.execute(run) })
}
