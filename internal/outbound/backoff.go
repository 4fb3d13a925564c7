package outbound

import (
	"math"
	"math/rand/v2"
	"time"
)

// DefaultJitter is the spread the contract promises around each delay: ±20%.
const DefaultJitter = 0.2

// maxDelay stands in for an unset cap: far beyond any real schedule, yet
// small enough that adding it to a time.Time cannot overflow.
const maxDelay = 100 * 365 * 24 * time.Hour

// Backoff is the retry schedule: retry n waits Base·Factor^(n-1), capped at
// Max, spread uniformly by ±Jitter. The zero Jitter means none; a nil Rand
// means math/rand/v2.
type Backoff struct {
	Base   time.Duration
	Factor float64
	Max    time.Duration
	Jitter float64        // fraction of the delay, from 0 to 1
	Rand   func() float64 // uniform in [0, 1); injected so tests fix it
}

// NewBackoff returns the schedule the contract describes, with DefaultJitter.
func NewBackoff(base time.Duration, factor float64, limit time.Duration) Backoff {
	return Backoff{Base: base, Factor: factor, Max: limit, Jitter: DefaultJitter, Rand: rand.Float64}
}

// Next returns when retry number retry (1-based: retry 1 follows the first
// attempt) is due. The delay never exceeds Max, jitter included, and is
// never negative; huge retry numbers saturate at Max instead of overflowing.
func (b Backoff) Next(retry int, now time.Time) time.Time {
	return now.Add(b.Delay(retry))
}

// Delay is Next without the clock: the wait before retry number retry.
func (b Backoff) Delay(retry int) time.Duration {
	limit := b.Max
	if limit <= 0 || limit > maxDelay {
		limit = maxDelay
	}
	if b.Base <= 0 {
		return 0
	}
	retry = max(retry, 1)
	factor := b.Factor
	if !(factor >= 1) { // also catches NaN
		factor = 1
	}
	// Float arithmetic saturates at +Inf rather than wrapping, so the
	// comparison with the cap below stays meaningful for any retry.
	d := float64(b.Base) * math.Pow(factor, float64(retry-1))
	d = min(d, float64(limit))
	d *= 1 + b.spread()
	d = math.Round(min(max(d, 0), float64(limit)))
	return time.Duration(d)
}

// spread returns a uniform value in [-Jitter, +Jitter).
func (b Backoff) spread() float64 {
	j := min(max(b.Jitter, 0), 1)
	if j == 0 || math.IsNaN(j) {
		return 0
	}
	random := b.Rand
	if random == nil {
		random = rand.Float64
	}
	r := random()
	if math.IsNaN(r) {
		r = 0.5 // a broken source must not turn the delay into NaN
	}
	r = min(max(r, 0), 1)
	return j * (2*r - 1)
}
