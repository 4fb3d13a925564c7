package store

import (
	"context"
	"sync"

	"github.com/wexio/webhooks/ent"
)

// Topic names what a notification is about.
type Topic string

// The topics the services use.
const (
	// Deliveries: outbound deliveries became due (created, released,
	// retried now).
	Deliveries Topic = "deliveries"
	// FlowRuns: flow runs became due.
	FlowRuns Topic = "flow_runs"
	// Config: webhooks or flows changed; caches of them start afresh.
	Config Topic = "config"
	// Logs: history rows were committed; every server's live-tail feed
	// hears of them (history.Feed encodes the payload).
	Logs Topic = "logs"
)

// NotifyChannel is the PostgreSQL LISTEN/NOTIFY channel every server of a
// database uses; a notification's payload is "<sender> <topic> <payload>".
// The sender is a process's own random id, whose notifications that
// process skips (it heard them at once), or DatabaseSender.
const NotifyChannel = "wexio"

// DatabaseSender names the database itself as a notification's sender: a
// trigger's NOTIFY inside the committing transaction, which PostgreSQL
// delivers in commit order, to every server, the committing one included.
const DatabaseSender = "db"

// Notifier carries notifications after commits. Notify never blocks;
// listeners are called with the topic's payload and must not block either.
// A payload is a list of items separated by ';' (wake-ups have none): a
// notifier may merge the payloads of one topic, in order, into one
// notification, never splitting an item. Notifications of one topic from
// one process arrive in the order they were sent. Wake-ups and
// invalidations are hints: a listener that misses one still finds the rows
// by polling.
type Notifier interface {
	Notify(topic Topic, payload string)
	Listen(topic Topic, fn func(payload string)) (stop func())
}

// Local is the Notifier of a database that one process works: listeners
// are called in the notifying goroutine.
type Local struct {
	mu        sync.RWMutex
	next      int
	listeners map[Topic]map[int]func(string)
}

var _ Notifier = (*Local)(nil)

// NewLocal returns a Local with no listeners.
func NewLocal() *Local { return &Local{listeners: map[Topic]map[int]func(string){}} }

// Notify implements Notifier.
func (l *Local) Notify(topic Topic, payload string) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	for _, fn := range l.listeners[topic] {
		fn(payload)
	}
}

// Listen implements Notifier.
func (l *Local) Listen(topic Topic, fn func(string)) (stop func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	id := l.next
	l.next++
	if l.listeners[topic] == nil {
		l.listeners[topic] = map[int]func(string){}
	}
	l.listeners[topic][id] = fn
	return func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		delete(l.listeners[topic], id)
	}
}

// InstallHooks puts wake-after-commit in one place: every mutation through
// c (and its transactions) that makes a delivery or a flow run due
// notifies the workers once its transaction commits, whoever made it (an
// inbound request, a flow step, a GraphQL mutation, a release), and every
// change of a webhook or a flow notifies the caches. Drivers install it on
// their write client.
func InstallHooks(c *ent.Client, n Notifier) {
	c.Delivery.Use(NotifyOnCommit(n, Deliveries, makesDue))
	c.FlowRun.Use(NotifyOnCommit(n, FlowRuns, makesDue))
	// Caches of webhooks and flows start afresh on every server once a
	// change to them commits (in this process, exactcache's own hook has
	// already kept them exact).
	always := func(ent.Mutation) bool { return true }
	c.Webhook.Use(NotifyOnCommit(n, Config, always))
	c.Flow.Use(NotifyOnCommit(n, Config, always))
}

// makesDue reports whether m may make a leased row due: it sets a due
// time, or drops a lease and leaves the due time (a release). A row
// finished (its lease and due time both cleared) wakes nobody: every
// attempt recorded would otherwise cost a claim that finds nothing.
func makesDue(m ent.Mutation) bool {
	if _, ok := m.Field("next_attempt_at"); ok {
		return true
	}
	return m.FieldCleared("claimed_until") && !m.FieldCleared("next_attempt_at")
}

// NotifyOnCommit returns an ent hook that notifies topic after a mutation
// for which applies is true: once its transaction commits (never on a
// rollback), or at once when it ran outside a transaction.
func NotifyOnCommit(n Notifier, topic Topic, applies func(ent.Mutation) bool) ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			v, err := next.Mutate(ctx, m)
			if err != nil || !applies(m) {
				return v, err
			}
			OnCommit(m, func() { n.Notify(topic, "") })
			return v, err
		})
	}
}

// OnCommit runs f once m's transaction commits, or at once when m ran
// outside a transaction (it is committed already).
func OnCommit(m ent.Mutation, f func()) {
	txm, ok := m.(interface{ Tx() (*ent.Tx, error) })
	if !ok {
		f()
		return
	}
	tx, err := txm.Tx()
	if err != nil {
		f()
		return
	}
	tx.OnCommit(func(next ent.Committer) ent.Committer {
		return ent.CommitFunc(func(ctx context.Context, tx *ent.Tx) error {
			err := next.Commit(ctx, tx)
			if err == nil {
				f()
			}
			return err
		})
	})
}
