package inbound

import (
	"context"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/webhook"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/exactcache"
)

// Cache keeps inbound webhooks by token, with the enabled flows bound to
// them: the lookup was the most expensive step of a request
// (cmd/loadbench). It stays exact within the process (see exactcache):
// install its Hook on Webhook and Flow mutations.
type Cache struct {
	read  *ent.Client
	cache *exactcache.Cache[string, bound]
}

// bound is an inbound webhook and the enabled flows bound to it.
type bound struct {
	hook  *ent.Webhook
	flows []pulid.ID
}

// NewCache returns a cache reading through read.
func NewCache(read *ent.Client, ttl time.Duration) *Cache {
	c := &Cache{read: read}
	c.cache = exactcache.New(ttl, time.Now, c.load)
	return c
}

// Hook keeps the cache exact. Install it on Webhook and Flow.
func (c *Cache) Hook() ent.Hook { return c.cache.Hook() }

// lookup returns the inbound webhook of token and the enabled flows bound
// to it, whatever its workspace.
func (c *Cache) lookup(ctx context.Context, token string) (*ent.Webhook, []pulid.ID, error) {
	b, ok, err := c.cache.Get(ctx, token)
	if !ok { // a webhook or flow change under way: read around the cache
		b, err = c.load(ctx, token)
	}
	return b.hook, b.flows, err
}

func (c *Cache) load(ctx context.Context, token string) (bound, error) {
	sys := auth.System(ctx)
	w, err := c.read.Webhook.Query().Where(webhook.Token(token), webhook.DirectionEQ("INBOUND")).Only(sys)
	if err != nil {
		return bound{}, err
	}
	flows, err := enabledFlows(sys, c.read, w.ID)
	if err != nil {
		return bound{}, err
	}
	return bound{hook: w, flows: flows}, nil
}
