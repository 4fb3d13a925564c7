package ratelimit

import (
	"testing"
	"time"
)

// TestKeyedHoldsEachKeyToItsRate: a key gets its burst, then one per
// 1/rate, told how long to wait in between; keys do not share their
// allowance; a bucket idle long enough is forgotten.
func TestKeyedHoldsEachKeyToItsRate(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	l := New(2, 4, func() time.Time { return now })
	for i := range 4 {
		if ok, _ := l.Allow("k1"); !ok {
			t.Fatalf("request %d of the burst refused", i+1)
		}
	}
	ok, wait := l.Allow("k1")
	if ok || wait <= 0 || wait > 500*time.Millisecond {
		t.Fatalf("past the burst: ok %v, wait %s; want refused, at most 500ms", ok, wait)
	}
	if ok, _ := l.Allow("k2"); !ok {
		t.Fatal("another key was refused")
	}
	now = now.Add(wait)
	if ok, _ := l.Allow("k1"); !ok {
		t.Fatal("refused after waiting what it was told")
	}
	if ok, _ := l.Allow("k1"); ok {
		t.Fatal("a second request let in right after the refill")
	}
	now = now.Add(idleBucket + 2*time.Minute)
	l.Allow("k3") // sweeps
	if len(l.buckets) != 1 {
		t.Fatalf("%d buckets kept after the others went idle", len(l.buckets))
	}
}
