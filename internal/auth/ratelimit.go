package auth

import (
	"context"
	"math"
	"time"

	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/internal/ratelimit"
)

// Limiter holds each API key to a rate of GraphQL requests on this server
// (WEXIO_API_RATE): a token bucket per key, refilled at the rate, holding
// twice as much for bursts.
type Limiter struct{ keys *ratelimit.Keyed }

// NewLimiter allows each key perSecond requests a second, bursts of twice
// that (at least one).
func NewLimiter(perSecond float64, now func() time.Time) *Limiter {
	return &Limiter{keys: ratelimit.New(perSecond, int(math.Ceil(2*perSecond)), now)}
}

// Allow takes one request of key's allowance; when none is left it says
// how long until one is.
func (l *Limiter) Allow(key pulid.ID) (ok bool, retryAfter time.Duration) {
	return l.keys.Allow(string(key))
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
