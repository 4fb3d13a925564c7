package outbound

import (
	"context"

	"github.com/wexio/webhooks/ent"
)

// Run claims and attempts due deliveries until ctx is done, through the
// work queue (internal/workqueue): claimed ahead of Workers goroutines,
// each held to its webhook's share at the gate, each attempt handed to the
// batching recorder while its worker moves on (the lease covers the
// delivery until its batch commits). On stop, attempts in flight get up to
// ShutdownTimeout; those still running then are cancelled and their leases
// released unrecorded, so they are attempted again (at-least-once), as
// are those still waiting at the gate. Beside it, Sweep runs every
// SweepInterval. The groupcommit writer must outlive Run.
func (d *Dispatcher) Run(ctx context.Context) error {
	rec := d.startRecorder()
	swept := make(chan struct{})
	go func() { defer close(swept); d.sweep(ctx) }()
	d.queue.Run(ctx, func(wctx context.Context, dl *ent.Delivery) { d.attempt(wctx, ctx, rec, dl) })
	d.releaseWaiting(ctx)
	rec.stop()
	<-swept
	return nil
}

// Once claims one batch (at most BatchSize deliveries), attempts them all
// at once and returns when they are recorded: a synchronous pass for tests
// and tools.
func (d *Dispatcher) Once(ctx context.Context) (int, error) {
	rec := d.startRecorder()
	n, err := d.queue.Once(ctx, func(wctx context.Context, dl *ent.Delivery) { d.attempt(wctx, ctx, rec, dl) })
	d.releaseWaiting(ctx)
	rec.stop()
	return n, err
}

// releaseWaiting hands back the leases of the deliveries left waiting at
// the gate once the workers are gone: they are attempted after a new claim.
func (d *Dispatcher) releaseWaiting(ctx context.Context) {
	left := d.gate.drain()
	d.queue.Release(ctx, left...)
	for _, dl := range left {
		d.gate.done(dl.ID)
	}
}
