package livetail_test

import (
	"context"
	"runtime"
	"sync"
	"testing"

	"github.com/wexio/webhooks/internal/livetail"
	"github.com/wexio/webhooks/internal/testkit"
)

const subscribers, batch = 100, 10

// BenchmarkPublish100Subscribers measures one Publish of a 10-row batch to
// 100 subscribers.
//
// tenant: each row concerns one subscriber in 100 (the common case), and
// the subscribers drain on their own goroutines, as dashboards would.
//
// broadcast: every row goes to every subscriber (the worst case: 1000 sends
// per op). Consumer goroutines cannot keep up with an unpaced loop on two
// cores and would all be dropped, so the loop drains the channels itself:
// ns/op is the cost of 1000 sends plus 1000 receives.
func BenchmarkPublish100Subscribers(b *testing.B) {
	b.Run("tenant", benchTenant)
	b.Run("broadcast", benchBroadcast)
}

func benchTenant(b *testing.B) {
	br := livetail.NewBroker[*row]()
	ctx, cancel := context.WithCancel(context.Background())
	var consumers sync.WaitGroup
	for i := range subscribers {
		s := br.Subscribe(ctx, func(r *row) bool { return r.tenant == i })
		consumers.Go(func() {
			for range s.C() {
			}
		})
	}
	rows := newRows()

	b.ReportAllocs()
	n := 0
	for b.Loop() {
		for i, r := range rows {
			r.tenant = (n*batch + i) % subscribers
		}
		br.Publish(rows...)
		n++
	}
	b.ReportMetric(float64(n*batch)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(br.Drops()), "drops")
	cancel()
	consumers.Wait()
}

func benchBroadcast(b *testing.B) {
	br := livetail.NewBroker[*row]()
	subs := make([]*livetail.Subscription[*row], subscribers)
	for i := range subs {
		subs[i] = br.Subscribe(b.Context(), nil)
	}
	rows := newRows()

	b.ReportAllocs()
	n := 0
	for b.Loop() {
		br.Publish(rows...)
		for _, s := range subs {
			for range batch {
				<-s.C()
			}
		}
		n++
	}
	b.ReportMetric(float64(n*batch)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(br.Drops()), "drops")
}

func newRows() []*row {
	rows := make([]*row, batch)
	for i := range rows {
		rows[i] = &row{seq: i}
	}
	return rows
}

// BenchmarkIdleSubscriberMemory reports the heap an idle subscriber costs:
// its Subscription, channel buffer (DefaultBuffer pointers) and context
// registration. The contexts themselves belong to the caller and are made
// before the first measurement.
func BenchmarkIdleSubscriberMemory(b *testing.B) {
	const n = 10_000
	var perSubscriber float64
	for b.Loop() {
		br := livetail.NewBroker[*row]()
		ctxs := make([]context.Context, n)
		cancels := make([]context.CancelFunc, n)
		for i := range ctxs {
			ctxs[i], cancels[i] = context.WithCancel(context.Background())
		}
		subs := make([]*livetail.Subscription[*row], n)

		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		for i := range subs {
			subs[i] = br.Subscribe(ctxs[i], nil)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		perSubscriber = float64(after.HeapAlloc-before.HeapAlloc) / n

		runtime.KeepAlive(subs)
		for _, cancel := range cancels {
			cancel()
		}
		// Unsubscribing runs on AfterFunc goroutines; let them finish so
		// that the next iteration starts from a clean heap.
		testkit.Eventually(b, "every cancelled subscriber to be unregistered", func() bool { return br.Len() == 0 })
	}
	b.ReportMetric(perSubscriber, "B/subscriber")
}
