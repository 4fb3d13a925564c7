package auth

import (
	"context"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/wexio/webhooks/ent/schema/pulid"
)

// Limiter holds each API key to a rate of GraphQL requests on this server
// (WEXIO_API_RATE): a token bucket per key, refilled at the rate, holding
// twice as much for bursts.
type Limiter struct {
	perSecond rate.Limit
	burst     int
	now       func() time.Time

	mu      sync.Mutex
	buckets map[pulid.ID]*bucket
	swept   time.Time
}

type bucket struct {
	lim  *rate.Limiter
	used time.Time
}

// idleBucket is how long an unused key's bucket is kept: by then it is
// full again, and a new one is the same.
const idleBucket = 10 * time.Minute

// NewLimiter allows each key perSecond requests a second, bursts of twice
// that (at least one).
func NewLimiter(perSecond float64, now func() time.Time) *Limiter {
	return &Limiter{perSecond: rate.Limit(perSecond), burst: max(int(math.Ceil(2*perSecond)), 1), now: now,
		buckets: map[pulid.ID]*bucket{}}
}

// Allow takes one request of key's allowance; when none is left it says
// how long until one is.
func (l *Limiter) Allow(key pulid.ID) (ok bool, retryAfter time.Duration) {
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
func (l *Limiter) sweep(now time.Time) {
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

type keyIDKey struct{}

// withKeyID marks ctx as authenticated by the API key of id.
func withKeyID(ctx context.Context, id pulid.ID) context.Context {
	return context.WithValue(ctx, keyIDKey{}, id)
}

// KeyID is the id of the API key that authenticated ctx, "" for none.
func KeyID(ctx context.Context) pulid.ID {
	id, _ := ctx.Value(keyIDKey{}).(pulid.ID)
	return id
}
