package testkit_test

import (
	"sync"
	"testing"
	"time"

	"github.com/wexio/webhooks/internal/testkit"
)

var t0 = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// TestClockMovesOnlyWhenTold: the clock reads what it was set to until a
// test sets or advances it.
func TestClockMovesOnlyWhenTold(t *testing.T) {
	t.Parallel()
	clk := testkit.NewClock(t0)
	var now func() time.Time = clk.Now // what a constructor takes
	if got := now(); !got.Equal(t0) {
		t.Fatalf("Now = %v, want %v", got, t0)
	}
	if got := clk.Advance(time.Minute); !got.Equal(t0.Add(time.Minute)) || !now().Equal(got) {
		t.Fatalf("Advance returned %v, Now %v; want both %v", got, now(), t0.Add(time.Minute))
	}
	clk.Set(t0.Add(-time.Hour))
	if got := now(); !got.Equal(t0.Add(-time.Hour)) {
		t.Fatalf("after Set: %v", got)
	}
	if got := new(testkit.Clock).Now(); !got.IsZero() {
		t.Fatalf("the zero Clock reads %v, want the zero time", got)
	}
}

// TestClockIsSafeForConcurrentUse: readers on other goroutines (a worker
// under test) and the test moving the clock; run with -race.
func TestClockIsSafeForConcurrentUse(t *testing.T) {
	t.Parallel()
	clk := testkit.NewClock(t0)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				clk.Advance(time.Second)
				_ = clk.Now()
			}
		})
	}
	wg.Wait()
	if got, want := clk.Now(), t0.Add(800*time.Second); !got.Equal(want) {
		t.Fatalf("after 800 advances of 1s: %v, want %v", got, want)
	}
}
