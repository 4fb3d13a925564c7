package outbound

import (
	"sync"
	"time"

	"github.com/wexio/webhooks/ent/schema/pulid"
)

// firstPace is the attempt duration assumed for a webhook before any of
// its attempts has finished.
const firstPace = time.Second

// lanes caps the attempts in flight per webhook, so that one slow or dead
// receiver cannot hold every worker while other webhooks' deliveries wait
// behind it. A delivery over the cap is snoozed instead of attempted: it is
// due again when, at the webhook's recent pace, a place should be free, and
// each further one is given the next such time, so a backlog is spread over
// the time it needs rather than claimed and snoozed again and again.
type lanes struct {
	limit int // places per webhook
	mu    sync.Mutex
	m     map[pulid.ID]*lane
}

type lane struct {
	inflight int
	pace     time.Duration // recent attempt duration, smoothed
	finished int           // attempts that ended since the lane opened
	opened   time.Time
	next     time.Time // the place the last snoozed delivery was given
}

func newLanes(limit int) *lanes { return &lanes{limit: limit, m: map[pulid.ID]*lane{}} }

// enter takes a place for an attempt at webhook id. When none is free it
// returns false and the time the delivery should be due again.
func (l *lanes) enter(id pulid.ID, now time.Time) (time.Time, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	ln := l.m[id]
	if ln == nil {
		ln = &lane{pace: firstPace, opened: now}
		l.m[id] = ln
	}
	if ln.inflight < l.limit {
		ln.inflight++
		return time.Time{}, true
	}
	// On average a place frees every pace/limit. Until an attempt has ended,
	// they have all lasted at least as long as the lane has been open: a
	// dead receiver's first wave is not mistaken for a fast one.
	pace := ln.pace
	if ln.finished == 0 {
		pace = max(pace, now.Sub(ln.opened))
	}
	if ln.next.Before(now) {
		ln.next = now
	}
	ln.next = ln.next.Add(max(pace/time.Duration(l.limit), time.Millisecond))
	return ln.next, false
}

// leave gives the place back after an attempt that took took.
func (l *lanes) leave(id pulid.ID, took time.Duration, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	ln := l.m[id]
	if ln == nil {
		return
	}
	ln.inflight--
	ln.finished++
	ln.pace = (3*ln.pace + took) / 4
	if ln.inflight == 0 && !ln.next.After(now) {
		// Idle, and no snoozed delivery is waiting for a place it was
		// given: forget it, so the map holds only webhooks in use.
		delete(l.m, id)
	}
}
