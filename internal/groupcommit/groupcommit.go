package groupcommit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/internal/store"
)

// ErrClosed is returned for work submitted after Close.
var ErrClosed = errors.New("groupcommit: closed")

// MaxBatch is the most jobs one transaction takes.
const MaxBatch = 256

type request struct {
	ctx   context.Context
	job   store.Job
	hooks store.Hooks
	done  chan error
	// ins, row and after are an Insert's, whose job only queues row: a
	// batch of nothing else runs without a transaction (runInserts).
	ins   *store.Inserter
	row   any
	after func()
}

// Writer is the single writer goroutine: store.Writer for both drivers.
// One batch at a time, so that what the jobs publish after their commit
// goes out in commit order (live tail promises it per webhook). On
// PostgreSQL two loops were measured slower than one: smaller batches, and
// no round trip left to hide once a batch of inserts is one statement.
type Writer struct {
	client *ent.Client
	log    *slog.Logger
	obs    store.CommitObserver // may be nil
	reqs   chan *request
	quit   chan struct{}
	wg     sync.WaitGroup

	// mu makes "queued" and "closed" exclusive: a job queued under the read
	// lock is always seen by the drain that follows Close.
	mu     sync.RWMutex
	closed bool
}

var _ store.Writer = (*Writer)(nil)

// New starts a writer over client (the database's write client), telling
// obs (when not nil) of each batch.
func New(client *ent.Client, log *slog.Logger, obs store.CommitObserver) *Writer {
	w := &Writer{client: client, log: log, obs: obs, reqs: make(chan *request, MaxBatch), quit: make(chan struct{})}
	w.wg.Add(1)
	go w.loop()
	return w
}

// Do runs job in the next batch and returns once that batch committed (nil)
// or failed (the job's own error, or the commit's). ctx only bounds the wait
// to be queued: once a job is in a batch, the batch decides.
func (w *Writer) Do(ctx context.Context, job store.Job) error {
	return w.submit(ctx, &request{job: job})
}

// Insert implements store.Writer: in a batch of inserts by one Inserter
// alone, the rows are one statement, its own transaction; in any other,
// the row is queued on a job's hooks like any job's.
func (w *Writer) Insert(ctx context.Context, ins *store.Inserter, row any, after func()) error {
	return w.submit(ctx, &request{ins: ins, row: row, after: after, job: func(_ context.Context, _ *ent.Tx, hk *store.Hooks) error {
		hk.InsertLater(ins, row)
		if after != nil {
			hk.AfterCommit(after)
		}
		return nil
	}})
}

// submit queues r and waits for its batch.
func (w *Writer) submit(ctx context.Context, r *request) error {
	r.ctx, r.done = context.WithoutCancel(ctx), make(chan error, 1)
	w.mu.RLock()
	if w.closed {
		w.mu.RUnlock()
		return ErrClosed
	}
	select {
	case w.reqs <- r:
	case <-ctx.Done():
		w.mu.RUnlock()
		return fmt.Errorf("queueing write: %w", ctx.Err())
	}
	w.mu.RUnlock()
	return <-r.done
}

// Close finishes the queued work and stops the writer.
func (w *Writer) Close() {
	w.mu.Lock()
	if !w.closed {
		w.closed = true
		close(w.quit)
	}
	w.mu.Unlock()
	w.wg.Wait()
}

func (w *Writer) loop() {
	defer w.wg.Done()
	batch := make([]*request, 0, MaxBatch)
	for {
		select {
		case r := <-w.reqs:
			w.run(w.fill(append(batch[:0], r)))
		case <-w.quit:
			w.drain()
			return
		}
	}
}

// drain commits what was queued before Close.
func (w *Writer) drain() {
	for {
		batch := w.fill(make([]*request, 0, MaxBatch))
		if len(batch) == 0 {
			return
		}
		w.run(batch)
	}
}

// fill adds to batch what is queued, without waiting, up to MaxBatch.
func (w *Writer) fill(batch []*request) []*request { return Gather(batch, w.reqs, MaxBatch) }

// Gather appends to batch what waits on in, without waiting for more, until
// batch holds max or in is empty or closed: how a writer that commits in
// batches takes, after the first item, whatever queued up meanwhile.
func Gather[T any](batch []T, in <-chan T, max int) []T {
	for len(batch) < max {
		select {
		case v, ok := <-in:
			if !ok {
				return batch
			}
			batch = append(batch, v)
		default:
			return batch
		}
	}
	return batch
}
