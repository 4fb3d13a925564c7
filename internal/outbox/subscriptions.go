package outbox

import (
	"context"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/internal/exactcache"
)

// Subscriptions caches each workspace's outbound webhooks that get
// deliveries, so that a write job's emits do not query them: on the single
// writer, that query was a tenth of a flow run's cost (BenchmarkFlowPath).
// It stays exact within the process (see exactcache): install its Hook on
// Webhook mutations. While a webhook change is running or uncommitted it
// answers nothing, so an emit in the transaction making the change (a
// GraphQL operation creating a webhook then a contact) reads the webhooks
// as that transaction sees them.
type Subscriptions struct {
	cache *exactcache.Cache[string, []*ent.Webhook]
}

// NewSubscriptions returns an empty cache loading through read.
func NewSubscriptions(read *ent.Client, ttl time.Duration) *Subscriptions {
	return &Subscriptions{cache: exactcache.New(ttl, time.Now, func(ctx context.Context, ws string) ([]*ent.Webhook, error) {
		return query(ctx, read, ws)
	})}
}

// Invalidate drops every entry (a change committed by another server).
func (s *Subscriptions) Invalidate() { s.cache.Invalidate() }

// Hook keeps the cache exact; install it on the write client's Webhook.
func (s *Subscriptions) Hook() ent.Hook { return s.cache.Hook() }

// Source answers which outbound webhooks of workspace ws get deliveries,
// or false when it cannot (the caller then reads them in its own
// transaction). Subscriptions is the cached one.
type Source interface {
	Subscribed(ctx context.Context, ws string) ([]*ent.Webhook, bool)
}

var _ Source = (*Subscriptions)(nil)

// Subscribed implements Source: false while a webhook change is under way
// or after a failed load.
func (s *Subscriptions) Subscribed(ctx context.Context, ws string) ([]*ent.Webhook, bool) {
	hooks, ok, err := s.cache.Get(ctx, ws)
	return hooks, ok && err == nil
}

// Webhook returns the outbound webhook id of workspace ws as it is now if
// it gets deliveries (is ACTIVE or PAUSED), or nil if it does not (deleted,
// disabled, inbound); ok is false when the cache cannot answer. The
// dispatcher asks it before each attempt, so deliveries waiting in its
// queue are sent with the webhook's current URL, headers, secrets and
// retry settings, and none go to a webhook paused or disabled since.
func (s *Subscriptions) Webhook(ctx context.Context, ws string, id pulid.ID) (w *ent.Webhook, ok bool) {
	hooks, ok := s.Subscribed(ctx, ws)
	if !ok {
		return nil, false
	}
	for _, w := range hooks {
		if w.ID == id {
			return w, true
		}
	}
	return nil, true
}

type subscriptionsKey struct{}

// WithSubscriptions returns ctx whose emits read webhooks through s.
func WithSubscriptions(ctx context.Context, s Source) context.Context {
	return context.WithValue(ctx, subscriptionsKey{}, s)
}
