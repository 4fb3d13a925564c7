package livetail_test

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"testing"

	"github.com/wexio/webhooks/internal/livetail"
	"github.com/wexio/webhooks/internal/testkit"
)

// TestCancelClosesRemovesAndLeavesNoGoroutine is not parallel on purpose:
// sequential tests run while the parallel ones are paused, which keeps
// runtime.NumGoroutine meaningful.
func TestCancelClosesRemovesAndLeavesNoGoroutine(t *testing.T) {
	before := runtime.NumGoroutine()
	b := livetail.NewBroker[int]()

	const n = 100
	subs := make([]*livetail.Subscription[int], n)
	cancels := make([]context.CancelFunc, n)
	for i := range subs {
		ctx, cancel := context.WithCancel(context.Background())
		subs[i], cancels[i] = b.Subscribe(ctx, nil), cancel
	}
	if b.Len() != n {
		t.Fatalf("Len = %d, want %d", b.Len(), n)
	}
	b.Publish(7)
	for i, s := range subs {
		cancels[i]()
		if got := waitClosed(t, s); len(got) != 1 || s.Dropped() {
			t.Fatalf("subscriber %d: got %v, dropped=%v; want [7], false", i, got, s.Dropped())
		}
	}
	// The close and the removal happen under one lock: no poll needed.
	if b.Len() != 0 {
		t.Fatalf("Len = %d after cancelling all, want 0", b.Len())
	}

	testkit.Eventually(t, fmt.Sprintf("the goroutines to come back to the %d before", before),
		func() bool { return runtime.NumGoroutine() <= before })
}

// TestConcurrentPublishSubscribeCancel is for the race detector: publishers,
// subscribers coming and going, cancels racing with drops.
func TestConcurrentPublishSubscribeCancel(t *testing.T) {
	t.Parallel()
	b := livetail.NewBroker[int](livetail.WithBuffer(8))
	stop := make(chan struct{})
	var publishers sync.WaitGroup
	for range 2 {
		publishers.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
					b.Publish(i, i+1, i+2)
				}
			}
		})
	}

	var subscribers sync.WaitGroup
	for range 8 {
		subscribers.Go(func() {
			for range 200 {
				ctx, cancel := context.WithCancel(t.Context())
				s := b.Subscribe(ctx, func(v int) bool { return v%2 == 0 })
				for range 3 {
					if _, ok := <-s.C(); !ok {
						break // dropped
					}
				}
				cancel()
				for range s.C() { // must be closed by the cancel
				}
			}
		})
	}
	subscribers.Wait()
	close(stop)
	publishers.Wait()

	if b.Len() != 0 {
		t.Fatalf("Len = %d after every subscriber ended, want 0", b.Len())
	}
}
