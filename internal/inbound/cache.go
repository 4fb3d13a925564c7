package inbound

import (
	"context"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/webhook"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/exactcache"
	"github.com/wexio/webhooks/internal/verify"
)

// Cache keeps inbound webhooks by token, with the enabled flows bound to
// them and their verifiers: the lookup was the most expensive step of a
// request (cmd/loadbench), and opening the credentials and resolving the
// scheme the next. It stays exact within the process (see exactcache):
// install its Hook on Webhook and Flow mutations. A rotation's grace ending
// changes no row; the verifier checks that deadline itself.
type Cache struct {
	read      *ent.Client
	verifiers Verifiers // set by New, before any request
	cache     *exactcache.Cache[string, bound]
}

// bound is an inbound webhook as its requests need it: the row, the
// enabled flows bound to it, and its verifier, built once with the
// credentials open.
type bound struct {
	hook     *ent.Webhook
	flows    []pulid.ID
	verifier *verify.Verifier
	// authErr is why verifier is nil. It is kept, not returned by the
	// lookup, so that the request is still refused in the contract's order
	// and logged.
	authErr error
}

// NewCache returns a cache reading through read.
func NewCache(read *ent.Client, ttl time.Duration) *Cache {
	c := &Cache{read: read}
	c.cache = exactcache.New(ttl, time.Now, c.load)
	return c
}

// Invalidate drops every entry (a change committed by another server).
func (c *Cache) Invalidate() { c.cache.Invalidate() }

// Hook keeps the cache exact. Install it on Webhook and Flow.
func (c *Cache) Hook() ent.Hook { return c.cache.Hook() }

// lookup returns the inbound webhook of token, whatever its workspace,
// bound to its flows and verifier.
func (c *Cache) lookup(ctx context.Context, token string) (bound, error) {
	b, ok, err := c.cache.Get(ctx, token)
	if !ok { // a webhook or flow change under way: read around the cache
		b, err = c.load(ctx, token)
	}
	return b, err
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
	b := bound{hook: w, flows: flows}
	b.verifier, b.authErr = c.verifiers.Verifier(w)
	return b, nil
}
