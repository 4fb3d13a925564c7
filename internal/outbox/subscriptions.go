package outbox

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
)

// Subscriptions caches each workspace's outbound webhooks that get
// deliveries, so that a write job's emits do not query them: on the single
// writer, that query was a tenth of a flow run's cost (BenchmarkFlowPath).
//
// It stays exact within the process. Its Hook, installed on Webhook
// mutations, invalidates it when a change runs and again when the change's
// transaction commits or rolls back, and while any webhook change is
// running or uncommitted the cache answers nothing: an emit in the
// transaction making the change (a GraphQL operation creating a webhook
// then a contact) reads the webhooks as that transaction sees them. Entries
// are loaded from committed data through the read client. TTL bounds
// staleness against writers in other processes.
type Subscriptions struct {
	read    *ent.Client
	ttl     time.Duration
	gen     atomic.Uint64
	pending atomic.Int64 // webhook changes running or not yet committed
	mu      sync.RWMutex
	m       map[string]subscribed
}

type subscribed struct {
	hooks []*ent.Webhook
	gen   uint64
	at    time.Time
}

// NewSubscriptions returns an empty cache loading through read.
func NewSubscriptions(read *ent.Client, ttl time.Duration) *Subscriptions {
	return &Subscriptions{read: read, ttl: ttl, m: map[string]subscribed{}}
}

// Hook keeps the cache exact; install it on the write client's Webhook.
func (s *Subscriptions) Hook() ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			s.pending.Add(1)
			done := func() { s.gen.Add(1); s.pending.Add(-1) }
			v, err := next.Mutate(ctx, m)
			s.gen.Add(1)
			txm, ok := m.(interface{ Tx() (*ent.Tx, error) })
			if !ok {
				s.pending.Add(-1)
				return v, err
			}
			tx, terr := txm.Tx()
			if terr != nil { // not in a transaction: already committed
				s.pending.Add(-1)
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

// get returns workspace ws's webhooks that get deliveries, or false when
// the cache cannot answer (none, a webhook change under way, a failed load)
// and the caller must read them in its own transaction.
func (s *Subscriptions) get(ctx context.Context, ws string) ([]*ent.Webhook, bool) {
	if s == nil || s.pending.Load() > 0 {
		return nil, false
	}
	gen := s.gen.Load()
	s.mu.RLock()
	e, ok := s.m[ws]
	s.mu.RUnlock()
	if ok && e.gen == gen && time.Since(e.at) < s.ttl {
		return e.hooks, true
	}
	hooks, err := query(ctx, s.read, ws)
	if err != nil || s.pending.Load() > 0 || s.gen.Load() != gen {
		return nil, false // failed, or changed while loading: do not trust the load
	}
	s.mu.Lock()
	s.m[ws] = subscribed{hooks: hooks, gen: gen, at: time.Now()}
	s.mu.Unlock()
	return hooks, true
}

// Active reports whether the outbound webhook id of workspace ws gets
// deliveries now (is ACTIVE); ok is false when the cache cannot answer.
// The dispatcher asks it before each attempt, so a webhook paused or
// disabled after its deliveries were claimed does not get them.
func (s *Subscriptions) Active(ctx context.Context, ws string, id pulid.ID) (active, ok bool) {
	hooks, ok := s.get(ctx, ws)
	if !ok {
		return false, false
	}
	for _, w := range hooks {
		if w.ID == id {
			return w.Status == schematype.WebhookActive, true
		}
	}
	return false, true
}

type subscriptionsKey struct{}

// WithSubscriptions returns ctx whose emits read webhooks through s.
func WithSubscriptions(ctx context.Context, s *Subscriptions) context.Context {
	return context.WithValue(ctx, subscriptionsKey{}, s)
}
