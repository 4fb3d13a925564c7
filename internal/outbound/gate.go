package outbound

import (
	"sync"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
)

// gate holds each webhook's attempts in this process to its share: its
// max_concurrency, one when it is ordered. A delivery of a webhook at its
// share waits here, holding no worker, and the worker that ends one of the
// webhook's attempts makes the next at once.
//
// It is what lets a claim look ahead (shareLookahead): where one process
// dispatches, a claim leases a webhook up to twice its share, and the
// second half waits here rather than in the database. Counting queued
// leases as attempts in flight held a busy webhook below its share: what
// it had queued took places its receiver never saw, and each attempt that
// ended waited for a commit and a claim before the next one started
// (BenchmarkDispatch: the queue ran dry 14,000 times in 40,000
// deliveries).
type gate struct {
	mu    sync.Mutex
	lanes map[pulid.ID]*lane
	// held are the deliveries that waited here, from enter until done:
	// waiting, then handed over and attempted (or released). Their worker
	// has moved on, so the queue no longer says the dispatcher holds them
	// (Dispatcher.Working).
	held map[pulid.ID]bool
}

// lane is one webhook's place at the gate.
type lane struct {
	running int
	waiting []*ent.Delivery // oldest first
}

// atOnce is how many attempts of w may run at once: its share.
func atOnce(w *ent.Webhook) int {
	if w.Ordered {
		return 1
	}
	return max(w.MaxConcurrency, 1)
}

// enter queues dl behind its webhook's waiting deliveries and, when the
// webhook has room for one more attempt (limit at once), takes the oldest
// of them to be attempted now: dl, or one that waited before it. It
// returns nil when none may start: leave hands the waiting over in turn.
// Taking the oldest rather than dl keeps the order, and lets a share that
// was raised fill up as deliveries arrive.
func (g *gate) enter(dl *ent.Delivery, limit int) *ent.Delivery {
	g.mu.Lock()
	defer g.mu.Unlock()
	l := g.lanes[dl.WebhookID]
	if l == nil {
		if g.lanes == nil {
			g.lanes = map[pulid.ID]*lane{}
		}
		l = &lane{}
		g.lanes[dl.WebhookID] = l
	}
	l.waiting = append(l.waiting, dl)
	if l.running >= limit {
		g.hold(dl.ID)
		return nil
	}
	l.running++
	if next := l.pop(); next != dl {
		g.hold(dl.ID) // an older one goes first; dl waits
		return next
	}
	return dl
}

// hold notes id waiting here; with g.mu held.
func (g *gate) hold(id pulid.ID) {
	if g.held == nil {
		g.held = map[pulid.ID]bool{}
	}
	g.held[id] = true
}

// holds reports whether delivery id waited here and is not done.
func (g *gate) holds(id pulid.ID) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.held[id]
}

// done ends the gate's hold of a delivery that waited: its attempt was
// handed to the recorder, or its lease released.
func (g *gate) done(id pulid.ID) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.held, id)
}

// pop takes the oldest waiting delivery out of l.
func (l *lane) pop() *ent.Delivery {
	dl := l.waiting[0]
	l.waiting[0] = nil
	l.waiting = l.waiting[1:]
	return dl
}

// leave ends an attempt of webhook id, which may now run limit at once, and
// returns the delivery that waited longest to take its place (its attempt
// begun: the caller makes it, or leaves again), or nil.
func (g *gate) leave(id pulid.ID, limit int) *ent.Delivery {
	g.mu.Lock()
	defer g.mu.Unlock()
	l := g.lanes[id]
	if l == nil {
		return nil
	}
	if len(l.waiting) > 0 && l.running <= limit {
		return l.pop()
	}
	l.running--
	if l.running <= 0 && len(l.waiting) == 0 {
		delete(g.lanes, id)
	}
	return nil
}

// drain takes every waiting delivery out of the gate: on stop, their
// leases are released (then done).
func (g *gate) drain() []*ent.Delivery {
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []*ent.Delivery
	for id, l := range g.lanes {
		out = append(out, l.waiting...)
		l.waiting = nil
		if l.running <= 0 {
			delete(g.lanes, id)
		}
	}
	return out
}
