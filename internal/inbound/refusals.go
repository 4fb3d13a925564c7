package inbound

import (
	"math"
	"sync"
	"time"

	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/internal/ratelimit"
)

// refusalLog decides which refused requests get a log row: at most rate a
// second per webhook (bursts of as many), so that a flood with a wrong
// secret, each request carrying a 100 KB body and 16 KB of headers, cannot
// fill the disk faster than that. The refusals beyond it are answered as
// usual and counted (Observer.InboundUnlogged), not stored.
type refusalLog struct {
	perSecond float64 // 0: every refusal is stored
	keys      *ratelimit.Keyed
	now       func() time.Time

	mu      sync.Mutex
	dropped int       // left out since said
	said    time.Time // when they were last said
}

func newRefusalLog(perSecond float64, now func() time.Time) *refusalLog {
	l := &refusalLog{perSecond: perSecond, now: now}
	if perSecond > 0 {
		l.keys = ratelimit.New(perSecond, int(math.Ceil(perSecond)), now)
	}
	return l
}

// keep reports whether a refusal of webhook may be stored. When it may
// not, report is the count left out, all webhooks together, since it was
// last said: at the first one left out, then once a minute at most (0
// otherwise), for one warning line rather than one per request.
func (l *refusalLog) keep(webhook pulid.ID) (ok bool, report int) {
	if l == nil || l.keys == nil {
		return true, 0
	}
	if ok, _ := l.keys.Allow(string(webhook)); ok {
		return true, 0
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.dropped++
	if !l.said.IsZero() && now.Sub(l.said) < time.Minute {
		return false, 0
	}
	report, l.dropped, l.said = l.dropped, 0, now
	return false, report
}
