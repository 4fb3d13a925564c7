package livetail

import (
	"context"
	"sync"
	"sync/atomic"
)

// DefaultBuffer is the per-subscriber buffer when WithBuffer is not given.
// With pointer items it costs 2 KiB per subscriber.
const DefaultBuffer = 256

// Publisher is what the writer needs: hand over a committed batch.
type Publisher[T any] interface {
	Publish(items ...T)
}

var _ Publisher[int] = (*Broker[int])(nil)

// Broker fans published items out to subscribers.
//
// Publish takes no broker lock: it reads a copy-on-write snapshot of the
// subscribers, so Subscribe and unsubscribe never wait for a fan-out and a
// fan-out never waits for them. Each send is non-blocking; a subscriber that
// cannot take an item is dropped. Concurrent Publish calls are safe, but the
// order between their items is unspecified: publish from one goroutine
// (the commit loop) to keep commit order.
type Broker[T any] struct {
	buffer int

	mu    sync.Mutex                         // serialises snapshot changes and closes
	subs  atomic.Pointer[[]*Subscription[T]] // never mutated in place
	drops atomic.Uint64
}

// Option configures a Broker.
type Option func(*options)

type options struct {
	buffer int
}

// WithBuffer sets the per-subscriber buffer (items a subscriber may fall
// behind before it is dropped). Values below 1 are ignored.
func WithBuffer(n int) Option {
	return func(o *options) {
		if n > 0 {
			o.buffer = n
		}
	}
}

// NewBroker returns a Broker with no subscribers.
func NewBroker[T any](opts ...Option) *Broker[T] {
	o := options{buffer: DefaultBuffer}
	for _, opt := range opts {
		opt(&o)
	}
	b := &Broker[T]{buffer: o.buffer}
	b.subs.Store(&[]*Subscription[T]{})
	return b
}

// Subscribe registers a subscriber that receives the published items for
// which filter returns true (all items when filter is nil). filter runs on
// the publisher's goroutine, so it must be cheap and must not block.
//
// The subscriber is removed and its channel closed when ctx is done. No
// goroutine waits per subscriber: context.AfterFunc runs the removal, on a
// short-lived goroutine, once ctx is done.
func (b *Broker[T]) Subscribe(ctx context.Context, filter func(T) bool) *Subscription[T] {
	return b.SubscribeFunc(ctx, filter, nil)
}

// SubscribeFunc is Subscribe with onDrop, which runs (once, without
// blocking, on the publisher's goroutine) just before the channel is
// closed because the subscriber fell behind. It lets a caller hand C()
// straight to its consumer, with no goroutine of its own, and still say why
// the stream ended.
func (b *Broker[T]) SubscribeFunc(ctx context.Context, filter func(T) bool, onDrop func()) *Subscription[T] {
	s := &Subscription[T]{ch: make(chan T, b.buffer), filter: filter, onDrop: onDrop}
	// The callback may run before add (ctx already done); add then skips s.
	s.stop = context.AfterFunc(ctx, func() { b.unsubscribe(s, false) })
	b.add(s)
	return s
}

// Publish hands a batch to every matching subscriber without blocking.
func (b *Broker[T]) Publish(items ...T) {
	if len(items) == 0 {
		return
	}
	for _, s := range *b.subs.Load() {
		if !s.deliver(items) {
			b.drop(s)
		}
	}
}

// DropWanting drops, as if they had fallen behind, the subscribers whose
// filter accepts any of items: a publisher that lost items calls it, so
// those subscribers learn of the gap instead of silently missing them.
func (b *Broker[T]) DropWanting(items ...T) {
	for _, s := range *b.subs.Load() {
		for _, it := range items {
			if s.wants(it) {
				b.drop(s)
				break
			}
		}
	}
}

// Len reports the current number of subscribers.
func (b *Broker[T]) Len() int {
	return len(*b.subs.Load())
}

// Drops reports how many subscribers have been dropped for falling behind
// since the Broker was created.
func (b *Broker[T]) Drops() uint64 {
	return b.drops.Load()
}

// drop removes a subscriber that could not keep up.
func (b *Broker[T]) drop(s *Subscription[T]) {
	if b.unsubscribe(s, true) {
		b.drops.Add(1)
	}
	// Release the context's reference to s; nothing is left for it to do.
	s.stop()
}

// unsubscribe removes s and closes its channel under one lock, so a reader
// that sees the channel closed also sees Len without it, and add cannot
// re-insert it. It reports whether this call closed the channel.
func (b *Broker[T]) unsubscribe(s *Subscription[T], dropped bool) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.removeLocked(s)
	return s.close(dropped)
}

func (b *Broker[T]) add(s *Subscription[T]) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if s.isClosed() {
		return
	}
	old := *b.subs.Load()
	next := make([]*Subscription[T], len(old), len(old)+1)
	copy(next, old)
	next = append(next, s)
	b.subs.Store(&next)
}

func (b *Broker[T]) removeLocked(s *Subscription[T]) {
	old := *b.subs.Load()
	for i, cur := range old {
		if cur != s {
			continue
		}
		next := make([]*Subscription[T], 0, len(old)-1)
		next = append(next, old[:i]...)
		next = append(next, old[i+1:]...)
		b.subs.Store(&next)
		return
	}
}

// Wants reports whether any current subscriber's filter accepts item, so a
// publisher can skip preparing items nobody will receive.
func (b *Broker[T]) Wants(item T) bool {
	for _, s := range *b.subs.Load() {
		if s.wants(item) {
			return true
		}
	}
	return false
}
