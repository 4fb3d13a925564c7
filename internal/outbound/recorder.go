package outbound

import (
	"context"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/groupcommit"
	"github.com/wexio/webhooks/internal/history"
	"github.com/wexio/webhooks/internal/store"
)

// maxRecordBatch bounds the attempts one write records.
const maxRecordBatch = 256

// entry is one attempt waiting to be recorded.
type entry struct {
	dl  *ent.Delivery
	res *result
	v   verdict
	log *history.LogRow
	// awaiting: counted in Dispatcher.awaiting until its row commits.
	awaiting bool
}

// recorder gathers finished attempts into batches: while one batch is
// being written, the next one queues up behind it.
type recorder struct {
	d    *Dispatcher
	in   chan *entry
	done chan struct{}
}

// startRecorder runs a recorder until stop; Run and Once each own one.
func (d *Dispatcher) startRecorder() *recorder {
	r := &recorder{d: d, in: make(chan *entry, maxRecordBatch), done: make(chan struct{})}
	go r.loop()
	return r
}

// stop flushes what was queued; call it once no attempt is running.
func (r *recorder) stop() {
	close(r.in)
	<-r.done
}

// submit queues an attempt and returns at once, unless the queue is full:
// a worker moves on to its next delivery while the batch is written, and
// the delivery's lease covers it until then. An attempt lost to a crash
// before its batch commits is made again (at-least-once).
func (r *recorder) submit(dl *ent.Delivery, res *result) {
	r.d.recording.Add(dl.ID)
	e := &entry{dl: dl, res: res, v: r.d.judge(dl, res)}
	var err error
	if e.log, err = newLogRow(e); err != nil {
		r.finish(e, err)
		return
	}
	e.awaiting = true
	r.d.awaiting.Add(dl.WebhookID)
	r.in <- e
}

// finish logs a written attempt, or the error of writing it: the lease
// then runs out and the attempt is made again.
func (r *recorder) finish(e *entry, err error) {
	r.d.recording.Remove(e.dl.ID)
	r.d.done(e)
	if err != nil {
		r.d.cfg.Log.Error("recording attempt", "err", err, "attempt", e.dl.Attempts+1,
			"delivery_id", e.dl.ID, "webhook_id", e.dl.WebhookID)
		return
	}
	r.d.logAttempt(e)
}

func (r *recorder) loop() {
	defer close(r.done)
	for e := range r.in {
		r.flush(groupcommit.Gather([]*entry{e}, r.in, maxRecordBatch))
	}
}

// flush writes a batch; if the batch fails, each attempt is written alone
// so one bad row (its webhook deleted meanwhile) cannot sink the others.
func (r *recorder) flush(batch []*entry) {
	err := r.write(batch)
	if err != nil && len(batch) > 1 {
		for _, e := range batch {
			r.finish(e, r.write([]*entry{e}))
		}
		return
	}
	for _, e := range batch {
		r.finish(e, err)
	}
}

func (r *recorder) write(batch []*entry) error {
	return r.d.deps.Writer.Do(auth.System(context.Background()), func(ctx context.Context, tx *ent.Tx, h *store.Hooks) error {
		return r.d.writeAttempts(ctx, tx, h, batch)
	})
}

// done takes e off the count of attempts awaiting their rows, once.
func (d *Dispatcher) done(e *entry) {
	if e.awaiting {
		e.awaiting = false
		d.awaiting.Remove(e.dl.WebhookID)
	}
}
