package auth

import (
	"testing"
	"time"
)

// TestLimiterBurstIsTwiceTheRate: a key gets bursts of twice its rate,
// then waits 1/rate; keys do not share their allowance.
func TestLimiterBurstIsTwiceTheRate(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	l := NewLimiter(2, func() time.Time { return now })
	for i := range 4 {
		if ok, _ := l.Allow("k1"); !ok {
			t.Fatalf("request %d of the burst refused", i+1)
		}
	}
	if ok, wait := l.Allow("k1"); ok || wait <= 0 || wait > 500*time.Millisecond {
		t.Fatalf("past the burst: ok %v, wait %s; want refused, at most 500ms", ok, wait)
	}
	if ok, _ := l.Allow("k2"); !ok {
		t.Fatal("another key was refused")
	}
}
