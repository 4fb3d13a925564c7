package exactcache

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wexio/webhooks/ent"
)

// Cache holds one value per key, loaded by load.
type Cache[K comparable, V any] struct {
	ttl     time.Duration
	now     func() time.Time
	load    func(ctx context.Context, key K) (V, error)
	gen     atomic.Uint64
	pending atomic.Int64 // changes running or not yet committed
	mu      sync.RWMutex
	m       map[K]entry[V]
}

type entry[V any] struct {
	v   V
	gen uint64
	at  time.Time
}

// New returns an empty cache loading through load, whose entries expire
// ttl after their load by the clock now (time.Now outside tests).
func New[K comparable, V any](ttl time.Duration, now func() time.Time, load func(ctx context.Context, key K) (V, error)) *Cache[K, V] {
	return &Cache[K, V]{ttl: ttl, now: now, load: load, m: map[K]entry[V]{}}
}

// Hook keeps the cache exact; install it on the write client's mutations
// of every entity a cached value is read from.
func (c *Cache[K, V]) Hook() ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			c.pending.Add(1)
			done := func() { c.gen.Add(1); c.pending.Add(-1) }
			v, err := next.Mutate(ctx, m)
			c.gen.Add(1)
			txm, ok := m.(interface{ Tx() (*ent.Tx, error) })
			if !ok {
				c.pending.Add(-1)
				return v, err
			}
			tx, terr := txm.Tx()
			if terr != nil { // not in a transaction: already committed
				c.pending.Add(-1)
				return v, err
			}
			tx.OnCommit(func(next ent.Committer) ent.Committer {
				return ent.CommitFunc(func(ctx context.Context, tx *ent.Tx) error {
					defer done()
					return next.Commit(ctx, tx)
				})
			})
			tx.OnRollback(func(next ent.Rollbacker) ent.Rollbacker {
				return ent.RollbackFunc(func(ctx context.Context, tx *ent.Tx) error {
					defer done()
					return next.Rollback(ctx, tx)
				})
			})
			return v, err
		})
	}
}

// Invalidate drops every entry: a change was committed where the hook
// cannot see it (another server, told through the store's notifier).
func (c *Cache[K, V]) Invalidate() { c.gen.Add(1) }

// Get returns key's value, cached or loaded. ok is false, and v is not to
// be used, while a change is under way or when one ran during the load:
// the caller reads for itself, in its own transaction if it has one (which
// may be the one changing). A load's error is returned, and the key's
// entry dropped.
func (c *Cache[K, V]) Get(ctx context.Context, key K) (v V, ok bool, err error) {
	if c.pending.Load() > 0 {
		return v, false, nil
	}
	gen := c.gen.Load()
	c.mu.RLock()
	e, hit := c.m[key]
	c.mu.RUnlock()
	if hit && e.gen == gen && c.now().Sub(e.at) < c.ttl {
		return e.v, true, nil
	}
	v, err = c.load(ctx, key)
	if err != nil {
		c.mu.Lock()
		delete(c.m, key)
		c.mu.Unlock()
		return v, true, err
	}
	if c.pending.Load() > 0 || c.gen.Load() != gen {
		var zero V
		return zero, false, nil // changed while loading: do not trust the load
	}
	c.mu.Lock()
	c.m[key] = entry[V]{v: v, gen: gen, at: c.now()}
	c.mu.Unlock()
	return v, true, nil
}
