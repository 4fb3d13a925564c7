package outbound

import (
	"math"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 26, 17, 0, 0, 0, time.UTC)

func fixed(v float64) func() float64 { return func() float64 { return v } }

// defaultBackoff is the contract's default schedule with a fixed random
// draw.
func defaultBackoff(r float64) Backoff {
	b := NewBackoff(time.Minute, 5, 24*time.Hour)
	b.Rand = fixed(r)
	return b
}

func TestBackoffDefaultsEveryRetry(t *testing.T) {
	t.Parallel()
	// Undisturbed delays: 1m, 5m, 25m, 2h5m, 10h25m, then the 24h cap.
	tests := []struct {
		retry int
		low   time.Duration // Rand 0: -20%
		mid   time.Duration // Rand 0.5: exact
		high  time.Duration // Rand 0.999: +19.96%, never beyond the cap
	}{
		{1, 48 * time.Second, time.Minute, 71976 * time.Millisecond},
		{2, 4 * time.Minute, 5 * time.Minute, 359880 * time.Millisecond},
		{3, 20 * time.Minute, 25 * time.Minute, 1799400 * time.Millisecond},
		{4, 100 * time.Minute, 125 * time.Minute, 8997 * time.Second},
		{5, 500 * time.Minute, 625 * time.Minute, 44985 * time.Second},
		{6, 1152 * time.Minute, 24 * time.Hour, 24 * time.Hour},
		{7, 1152 * time.Minute, 24 * time.Hour, 24 * time.Hour},
		{8, 1152 * time.Minute, 24 * time.Hour, 24 * time.Hour},
	}
	for _, tt := range tests {
		for _, c := range []struct {
			r    float64
			want time.Duration
		}{{0, tt.low}, {0.5, tt.mid}, {0.999, tt.high}} {
			got := defaultBackoff(c.r).Next(tt.retry, t0)
			if want := t0.Add(c.want); !got.Equal(want) {
				t.Errorf("Next(%d) with rand %v = %v, want %v (+%v)", tt.retry, c.r, got, want, c.want)
			}
		}
	}
}

func TestBackoffEdges(t *testing.T) {
	t.Parallel()
	day := 24 * time.Hour
	tests := []struct {
		name  string
		b     Backoff
		retry int
		want  time.Duration
	}{
		{"huge retry saturates", defaultBackoff(0.5), math.MaxInt, day},
		{"huge retry with jitter down", defaultBackoff(0), math.MaxInt, day * 4 / 5},
		{"retry 0 is retry 1", defaultBackoff(0.5), 0, time.Minute},
		{"negative retry is retry 1", defaultBackoff(0.5), -3, time.Minute},
		{"factor 1 is constant", Backoff{Base: time.Second, Factor: 1, Max: day}, 50, time.Second},
		{"factor below 1 is 1", Backoff{Base: time.Second, Factor: 0.1, Max: day}, 5, time.Second},
		{"factor NaN is 1", Backoff{Base: time.Second, Factor: math.NaN(), Max: day}, 5, time.Second},
		{"factor +Inf caps", Backoff{Base: time.Second, Factor: math.Inf(1), Max: day}, 2, day},
		{"base zero", Backoff{Base: 0, Factor: 5, Max: day}, math.MaxInt, 0},
		{"base above max", Backoff{Base: 2 * day, Factor: 5, Max: day}, 1, day},
		{"no max is still bounded", Backoff{Base: time.Hour, Factor: 10, Max: 0}, 1000, maxDelay},
		{"no jitter", Backoff{Base: time.Minute, Factor: 2, Max: day, Rand: fixed(0)}, 3, 4 * time.Minute},
		{"full jitter never negative", Backoff{Base: time.Minute, Factor: 2, Max: day, Jitter: 1, Rand: fixed(0)}, 3, 0},
		{"jitter above 1 clamps", Backoff{Base: time.Minute, Factor: 2, Max: day, Jitter: 5, Rand: fixed(0)}, 3, 0},
		{"negative jitter is none", Backoff{Base: time.Minute, Factor: 2, Max: day, Jitter: -1, Rand: fixed(0)}, 3, 4 * time.Minute},
		{"NaN jitter is none", Backoff{Base: time.Minute, Factor: 2, Max: day, Jitter: math.NaN(), Rand: fixed(0)}, 1, time.Minute},
		{"rand above 1 clamps", Backoff{Base: time.Minute, Factor: 1, Max: day, Jitter: 0.5, Rand: fixed(7)}, 1, 90 * time.Second},
		{"rand below 0 clamps", Backoff{Base: time.Minute, Factor: 1, Max: day, Jitter: 0.5, Rand: fixed(-7)}, 1, 30 * time.Second},
		{"rand NaN is the middle", Backoff{Base: time.Minute, Factor: 1, Max: day, Jitter: 0.5, Rand: fixed(math.NaN())}, 1, time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.b.Delay(tt.retry); got != tt.want {
				t.Fatalf("Delay(%d) = %v, want %v", tt.retry, got, tt.want)
			}
			if got := tt.b.Next(tt.retry, t0); !got.Equal(t0.Add(tt.want)) {
				t.Fatalf("Next(%d) = %v, want %v", tt.retry, got, t0.Add(tt.want))
			}
		})
	}
}

func TestBackoffDefaultRandStaysInBand(t *testing.T) {
	t.Parallel()
	b := NewBackoff(time.Minute, 5, 24*time.Hour)
	b.Rand = nil // exercise the fallback source too
	for range 200 {
		d := b.Delay(2)
		if d < 4*time.Minute || d >= 6*time.Minute {
			t.Fatalf("Delay(2) = %v, want within 5m ±20%%", d)
		}
	}
}
