package outbound

import (
	"context"

	"github.com/wexio/webhooks/ent"
)

// Run claims and attempts due deliveries until ctx is done, through the
// work queue (internal/workqueue): claimed ahead of Workers goroutines,
// each attempt handed to the batching recorder while its worker moves on
// (the lease covers the delivery until its batch commits). On stop,
// attempts in flight get up to ShutdownTimeout; those still running then are
// cancelled and their leases released unrecorded, so they are attempted
// again (at-least-once). Beside it, Sweep runs every SweepInterval. The
// groupcommit writer must outlive Run.
func (d *Dispatcher) Run(ctx context.Context) error {
	rec := d.startRecorder()
	swept := make(chan struct{})
	go func() { defer close(swept); d.sweep(ctx) }()
	d.queue.Run(ctx, func(ctx context.Context, dl *ent.Delivery) { d.attempt(ctx, rec, dl) })
	rec.stop()
	<-swept
	return nil
}

// Once claims one batch (at most BatchSize deliveries), attempts them all
// at once and returns when they are recorded: a synchronous pass for tests
// and tools.
func (d *Dispatcher) Once(ctx context.Context) (int, error) {
	rec := d.startRecorder()
	n, err := d.queue.Once(ctx, func(ctx context.Context, dl *ent.Delivery) { d.attempt(ctx, rec, dl) })
	rec.stop()
	return n, err
}
