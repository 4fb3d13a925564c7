package livetail

import (
	"sync"
	"sync/atomic"
)

// Subscription is one subscriber's end of a Broker. Its channel is closed
// when the subscription's context is done or when it falls behind; Dropped
// tells the two apart.
type Subscription[T any] struct {
	ch     chan T
	filter func(T) bool
	onDrop func()      // runs before the channel closes when the subscriber is dropped
	stop   func() bool // undoes the context.AfterFunc registration

	// mu orders sends against the close: a send on a closed channel panics,
	// and Publish does not hold the broker lock. Sends under it never block.
	mu      sync.Mutex
	closed  bool
	dropped atomic.Bool
}

// C returns the channel of matching items. It is closed when the
// subscription ends; check Dropped to learn why.
func (s *Subscription[T]) C() <-chan T {
	return s.ch
}

// Dropped reports whether the subscription ended because its buffer was
// full. It is set before the channel is closed, so a reader that sees the
// close sees the right answer.
func (s *Subscription[T]) Dropped() bool {
	return s.dropped.Load()
}

// wants reports whether item passes s's filter (no filter: everything).
func (s *Subscription[T]) wants(item T) bool { return s.filter == nil || s.filter(item) }

// deliver sends the items that pass the filter without blocking. It reports
// false when the buffer was full, i.e. the subscriber must be dropped.
// The lock is taken only once something matches, so the subscribers a
// batch does not concern cost one filter call per item.
func (s *Subscription[T]) deliver(items []T) bool {
	locked := false
	for _, item := range items {
		if !s.wants(item) {
			continue
		}
		if !locked {
			s.mu.Lock()
			locked = true
			if s.closed {
				break
			}
		}
		select {
		case s.ch <- item:
		default:
			s.mu.Unlock()
			return false
		}
	}
	if locked {
		s.mu.Unlock()
	}
	return true
}

// close closes the channel once and reports whether this call did it.
func (s *Subscription[T]) close(dropped bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.closed = true
	if dropped {
		s.dropped.Store(true)
		if s.onDrop != nil {
			s.onDrop() // before the close: a reader that sees it sees the effect
		}
	}
	close(s.ch)
	return true
}

func (s *Subscription[T]) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}
