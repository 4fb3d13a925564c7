// Package ratelimit holds each of many keys to a rate: a token bucket per
// key (golang.org/x/time/rate), forgotten once idle long enough to be full
// again. API keys (WEXIO_API_RATE) and the stored refusals of each inbound
// webhook (WEXIO_REFUSED_LOG_RATE) are held this way.
package ratelimit

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Keyed is a token bucket per key, safe for concurrent use.
type Keyed struct {
	perSecond rate.Limit
	burst     int
	now       func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	lim  *rate.Limiter
	used time.Time
}

// idleBucket is how long an unused key's bucket is kept: by then it is
// full again, and a new one is the same.
const idleBucket = 10 * time.Minute

// New allows each key perSecond a second, bursts of burst (at least one).
func New(perSecond float64, burst int, now func() time.Time) *Keyed {
	return &Keyed{perSecond: rate.Limit(perSecond), burst: max(burst, 1), now: now, buckets: map[string]*bucket{}}
}

// Allow takes one of key's allowance; when none is left it says how long
// until one is.
func (l *Keyed) Allow(key string) (ok bool, retryAfter time.Duration) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(now)
	b := l.buckets[key]
	if b == nil {
		b = &bucket{lim: rate.NewLimiter(l.perSecond, l.burst)}
		l.buckets[key] = b
	}
	b.used = now
	r := b.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// sweep forgets the buckets of keys idle for idleBucket, once a minute.
func (l *Keyed) sweep(now time.Time) {
	if now.Sub(l.swept) < time.Minute {
		return
	}
	l.swept = now
	for k, b := range l.buckets {
		if now.Sub(b.used) > idleBucket {
			delete(l.buckets, k)
		}
	}
}
