package livetail_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/wexio/webhooks/internal/livetail"
	"github.com/wexio/webhooks/internal/testkit"
)

// row stands in for a history row: what subscribers filter on is a tenant.
type row struct {
	tenant int
	seq    int
}

// drain returns what is buffered in s without waiting.
func drain[T any](s *livetail.Subscription[T]) []T {
	var got []T
	for len(s.C()) > 0 {
		got = append(got, <-s.C())
	}
	return got
}

// waitClosed reads s until its channel is closed, failing after a bound.
func waitClosed[T any](t *testing.T, s *livetail.Subscription[T]) []T {
	t.Helper()
	var got []T
	deadline := time.After(5 * time.Second)
	for {
		select {
		case v, ok := <-s.C():
			if !ok {
				return got
			}
			got = append(got, v)
		case <-deadline:
			t.Fatal("subscription channel not closed")
		}
	}
}

func TestPublishFansOutThroughFilters(t *testing.T) {
	t.Parallel()
	b := livetail.NewBroker[*row]()
	const tenants, perTenant, items = 5, 10, 100

	subs := make([]*livetail.Subscription[*row], tenants*perTenant)
	for i := range subs {
		tenant := i % tenants
		subs[i] = b.Subscribe(t.Context(), func(r *row) bool { return r.tenant == tenant })
	}
	all := b.Subscribe(t.Context(), nil)
	if got, want := b.Len(), len(subs)+1; got != want {
		t.Fatalf("Len = %d, want %d", got, want)
	}

	var batch []*row
	for seq := range items {
		batch = append(batch, &row{tenant: seq % tenants, seq: seq})
		if len(batch) == 7 || seq == items-1 { // uneven batches, as commits come
			b.Publish(batch...)
			batch = nil
		}
	}

	for i, s := range subs {
		got := drain(s)
		if len(got) != items/tenants {
			t.Fatalf("subscriber %d got %d items, want %d", i, len(got), items/tenants)
		}
		for j, r := range got {
			if r.tenant != i%tenants || r.seq != j*tenants+i%tenants {
				t.Fatalf("subscriber %d item %d = %+v: wrong tenant or order", i, j, *r)
			}
		}
	}
	if got := drain(all); len(got) != items || !slices.IsSortedFunc(got, func(a, b *row) int { return a.seq - b.seq }) {
		t.Fatalf("unfiltered subscriber got %d items (want %d, in order)", len(got), items)
	}
}

func TestSlowSubscriberIsDroppedOthersContinue(t *testing.T) {
	t.Parallel()
	const buffer, items = 4, 1000
	b := livetail.NewBroker[int](livetail.WithBuffer(buffer))
	slow := b.Subscribe(t.Context(), nil) // never reads
	fast := b.Subscribe(t.Context(), nil)

	// Publish from a goroutine so that a blocking Publish fails the test
	// instead of hanging it.
	done := make(chan []int)
	go func() {
		var got []int
		for i := range items {
			b.Publish(i)
			got = append(got, <-fast.C())
		}
		done <- got
	}()
	var got []int
	select {
	case got = <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Publish blocked on a slow subscriber")
	}

	if len(got) != items || fast.Dropped() {
		t.Fatalf("fast subscriber got %d of %d items, dropped=%v", len(got), items, fast.Dropped())
	}
	if !slow.Dropped() {
		t.Fatal("slow subscriber not marked dropped")
	}
	if kept := waitClosed(t, slow); !slices.Equal(kept, []int{0, 1, 2, 3}) {
		t.Fatalf("slow subscriber kept %v, want its full buffer then a close", kept)
	}
	if b.Len() != 1 || b.Drops() != 1 {
		t.Fatalf("Len = %d, Drops = %d; want 1, 1", b.Len(), b.Drops())
	}
}

// TestSubscribeWithDoneContextEndsAtOnce: with a done context the removal
// may run before the subscriber is registered; it must not stay registered.
// Many rounds, because which comes first is up to the scheduler.
func TestSubscribeWithDoneContextEndsAtOnce(t *testing.T) {
	t.Parallel()
	b := livetail.NewBroker[int]()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	for range 2000 {
		s := b.Subscribe(ctx, nil)
		waitClosed(t, s)
		b.Publish(1) // must not panic on a closed channel
		if s.Dropped() {
			t.Fatal("a cancelled subscriber reported as dropped")
		}
	}
	testkit.Eventually(t, "every closed subscriber to be unregistered", func() bool { return b.Len() == 0 })
}

func TestPublishWithoutSubscribers(t *testing.T) {
	t.Parallel()
	b := livetail.NewBroker[int]()
	b.Publish()
	b.Publish(1, 2, 3)
	if b.Len() != 0 {
		t.Fatalf("Len = %d, want 0", b.Len())
	}
}

func TestWantsFollowsFilters(t *testing.T) {
	b := livetail.NewBroker[int]()
	if b.Wants(1) {
		t.Fatal("no subscriber wants anything")
	}
	ctx, cancel := context.WithCancel(context.Background())
	b.Subscribe(ctx, func(i int) bool { return i%2 == 0 })
	if b.Wants(1) || !b.Wants(2) {
		t.Fatal("Wants ignores the filter")
	}
	cancel()
	testkit.Eventually(t, "the ended subscription to stop wanting items", func() bool { return !b.Wants(2) })
}

// TestDropWanting: a publisher that lost items ends exactly the
// subscriptions that wanted one of them, through the slow-subscriber path.
func TestDropWanting(t *testing.T) {
	t.Parallel()
	b := livetail.NewBroker[row]()
	ctx := context.Background()
	var told []int
	sub := func(tenant int) *livetail.Subscription[row] {
		return b.SubscribeFunc(ctx, func(r row) bool { return r.tenant == tenant }, func() { told = append(told, tenant) })
	}
	one, two := sub(1), sub(2)
	b.DropWanting(row{tenant: 1, seq: 1}, row{tenant: 3, seq: 2})
	waitClosed(t, one)
	if !one.Dropped() || !slices.Equal(told, []int{1}) || b.Len() != 1 || b.Drops() != 1 {
		t.Fatalf("dropped=%v told=%v len=%d drops=%d", one.Dropped(), told, b.Len(), b.Drops())
	}
	b.Publish(row{tenant: 2, seq: 3})
	if got := drain(two); len(got) != 1 || two.Dropped() {
		t.Fatalf("the other subscriber got %v (dropped %v)", got, two.Dropped())
	}
}
