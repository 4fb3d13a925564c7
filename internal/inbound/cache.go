package inbound

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/webhook"
	"github.com/wexio/webhooks/internal/auth"
)

// Cache keeps inbound webhooks by token, with the enabled flows bound to
// them: the lookup was the most expensive step of a request
// (cmd/loadbench). It stays exact within the process: every Webhook or Flow
// mutation invalidates it through Hook, once when the mutation runs and
// again when its transaction commits, so no reader can re-cache the
// pre-commit row. TTL bounds staleness against writers in other processes.
type Cache struct {
	read *ent.Client
	ttl  time.Duration
	gen  atomic.Uint64
	mu   sync.RWMutex
	m    map[string]cacheEntry
}

type cacheEntry struct {
	hook  *ent.Webhook
	flows []pulid.ID // the enabled flows bound to it
	gen   uint64
	at    time.Time
}

// NewCache returns a cache reading through read.
func NewCache(read *ent.Client, ttl time.Duration) *Cache {
	return &Cache{read: read, ttl: ttl, m: make(map[string]cacheEntry)}
}

// Invalidate drops every entry.
func (c *Cache) Invalidate() { c.gen.Add(1) }

// Hook invalidates the cache on every mutation it sees and again after the
// mutation's transaction commits. Install it on Webhook and Flow.
func (c *Cache) Hook() ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			v, err := next.Mutate(ctx, m)
			c.Invalidate()
			if txm, ok := m.(interface{ Tx() (*ent.Tx, error) }); ok {
				if tx, terr := txm.Tx(); terr == nil {
					tx.OnCommit(func(next ent.Committer) ent.Committer {
						return ent.CommitFunc(func(ctx context.Context, tx *ent.Tx) error {
							err := next.Commit(ctx, tx)
							c.Invalidate()
							return err
						})
					})
				}
			}
			return v, err
		})
	}
}

// lookup returns the inbound webhook of token and the enabled flows bound
// to it, whatever its workspace.
func (c *Cache) lookup(ctx context.Context, token string) (*ent.Webhook, []pulid.ID, error) {
	gen := c.gen.Load()
	c.mu.RLock()
	e, ok := c.m[token]
	c.mu.RUnlock()
	if ok && e.gen == gen && time.Since(e.at) < c.ttl {
		return e.hook, e.flows, nil
	}
	sys := auth.System(ctx)
	w, err := c.read.Webhook.Query().Where(webhook.Token(token), webhook.DirectionEQ("INBOUND")).Only(sys)
	if err != nil {
		if ok {
			c.mu.Lock()
			delete(c.m, token) // deleted since: do not keep it
			c.mu.Unlock()
		}
		return nil, nil, err
	}
	flows, err := enabledFlows(sys, c.read, w.ID)
	if err != nil {
		return nil, nil, err
	}
	c.mu.Lock()
	c.m[token] = cacheEntry{hook: w, flows: flows, gen: gen, at: time.Now()}
	c.mu.Unlock()
	return w, flows, nil
}
