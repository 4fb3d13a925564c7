package outbound

import (
	"fmt"
	"testing"
	"time"
)

func TestSchedule(t *testing.T) {
	t.Parallel()
	b := defaultBackoff(0.5) // no jitter in effect: delays are 1m, 5m, 25m, ...
	retry := Decision{Outcome: Retry, Reason: "status 500"}
	after := func(d time.Duration) Decision { return Decision{Outcome: RetryAfter, Delay: d} }
	tests := []struct {
		name        string
		d           Decision
		done, max   int
		wantFinal   bool
		wantNextAdd time.Duration
	}{
		{"succeeded", Decision{Outcome: Succeeded}, 0, 5, true, 0},
		{"succeeded on the last retry", Decision{Outcome: Succeeded}, 5, 5, true, 0},
		{"failed", Decision{Outcome: Failed}, 0, 5, true, 0},
		{"disable", Decision{Outcome: Disable}, 0, 5, true, 0},
		{"unknown outcome stops", Decision{}, 0, 5, true, 0},
		{"max 0: first failure is final", retry, 0, 0, true, 0},
		{"max 0: retry-after too", after(time.Second), 0, 0, true, 0},
		{"max 1: first failure retries", retry, 0, 1, false, time.Minute},
		{"max 1: second failure is final", retry, 1, 1, true, 0},
		{"max 5: retry 1", retry, 0, 5, false, time.Minute},
		{"max 5: retry 2", retry, 1, 5, false, 5 * time.Minute},
		{"max 5: retry 3", retry, 2, 5, false, 25 * time.Minute},
		{"max 5: retry 4", retry, 3, 5, false, 125 * time.Minute},
		{"max 5: retry 5", retry, 4, 5, false, 625 * time.Minute},
		{"max 5: exhausted", retry, 5, 5, true, 0},
		{"max 5: beyond exhausted", retry, 9, 5, true, 0},
		{"max 5: exhausted with retry-after", after(time.Hour), 5, 5, true, 0},
		{"retry-after later than backoff wins", after(10 * time.Minute), 0, 5, false, 10 * time.Minute},
		{"backoff later than retry-after wins", after(10 * time.Second), 0, 5, false, time.Minute},
		{"retry-after zero uses backoff", after(0), 2, 5, false, 25 * time.Minute},
		{"retry-after capped at backoff max", after(48 * time.Hour), 0, 5, false, 24 * time.Hour},
		{"negative delay ignored", after(-time.Hour), 0, 5, false, time.Minute},
		{"late retry at the cap", retry, 20, 100, false, 24 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			next, final := Schedule(tt.d, tt.done, tt.max, b, t0)
			if final != tt.wantFinal {
				t.Fatalf("final = %v, want %v", final, tt.wantFinal)
			}
			if final {
				if !next.IsZero() {
					t.Fatalf("final with next %v", next)
				}
				return
			}
			if want := t0.Add(tt.wantNextAdd); !next.Equal(want) {
				t.Fatalf("next = %v, want %v", next, want)
			}
		})
	}
}

// TestScheduleWholeDelivery walks a delivery that always fails, for each
// maxRetries, checking it gets exactly maxRetries+1 attempts.
func TestScheduleWholeDelivery(t *testing.T) {
	t.Parallel()
	for _, maxRetries := range []int{0, 1, 5} {
		t.Run(fmt.Sprint(maxRetries), func(t *testing.T) {
			t.Parallel()
			now, attempts := t0, 0
			for {
				attempts++
				d := Classify(500, nil, nil, now, 24*time.Hour)
				next, final := Schedule(d, attempts-1, maxRetries, defaultBackoff(0), now)
				if final {
					break
				}
				if !next.After(now) {
					t.Fatalf("attempt %d: next %v not after now %v", attempts, next, now)
				}
				now = next
			}
			if attempts != maxRetries+1 {
				t.Fatalf("attempts = %d, want %d", attempts, maxRetries+1)
			}
		})
	}
}

func TestScheduleNoCapRetryAfter(t *testing.T) {
	t.Parallel()
	b := Backoff{Base: time.Second, Factor: 1}
	next, final := Schedule(Decision{Outcome: RetryAfter, Delay: time.Hour}, 0, 1, b, t0)
	if final || !next.Equal(t0.Add(time.Hour)) {
		t.Fatalf("Schedule = %v, %v", next, final)
	}
}
