package inbound

import (
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/wexio/webhooks/ent/schema/pulid"
)

// refusalLog decides which refused requests of a webhook get a log row: at
// most rate a second each (bursts of as many), so that a flood with a wrong
// secret, each request carrying a 100 KB body and 16 KB of headers, cannot
// fill the disk faster than that. The refusals beyond it are answered as
// usual and counted (Observer.InboundUnlogged), not stored.
type refusalLog struct {
	rate rate.Limit // 0: every refusal is stored
	now  func() time.Time

	mu    sync.Mutex
	hooks map[pulid.ID]*refusals
}

// refusals is one webhook's allowance and what it left out since the last
// time it was said.
type refusals struct {
	lim     *rate.Limiter
	dropped int
	said    time.Time
}

// maxRefusalHooks bounds the allowances kept: past it, those full again
// (no refusal for a second or more) are forgotten, as a new one would
// start the same.
const maxRefusalHooks = 10_000

func newRefusalLog(perSecond float64, now func() time.Time) *refusalLog {
	return &refusalLog{rate: rate.Limit(perSecond), now: now, hooks: map[pulid.ID]*refusals{}}
}

// keep reports whether a refusal of webhook may be stored. When it may not,
// report is the count left out since it was last said, once a minute at
// most (0 otherwise), for one warning line rather than one per request.
func (l *refusalLog) keep(webhook pulid.ID) (ok bool, report int) {
	if l == nil || l.rate <= 0 {
		return true, 0
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	r := l.hooks[webhook]
	if r == nil {
		if len(l.hooks) >= maxRefusalHooks {
			l.forgetFull(now)
		}
		burst := max(int(l.rate), 1)
		r = &refusals{lim: rate.NewLimiter(l.rate, burst)} // said zero: the first refusal left out is said at once
		l.hooks[webhook] = r
	}
	if r.lim.AllowN(now, 1) {
		return true, 0
	}
	r.dropped++
	if now.Sub(r.said) < time.Minute {
		return false, 0
	}
	report, r.dropped, r.said = r.dropped, 0, now
	return false, report
}

// forgetFull drops the allowances that are full again and owe no report.
func (l *refusalLog) forgetFull(now time.Time) {
	for id, r := range l.hooks {
		if r.dropped == 0 && r.lim.TokensAt(now) >= float64(r.lim.Burst()) {
			delete(l.hooks, id)
		}
	}
}
