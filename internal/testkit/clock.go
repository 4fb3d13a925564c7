package testkit

import (
	"sync"
	"time"
)

// Clock is a clock that a test sets and moves by hand. Give its Now method
// to whatever takes `now func() time.Time`; the code under test reads it
// from any goroutine, so every method is safe for concurrent use.
//
//	clk := testkit.NewClock(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC))
//	svc := webhooks.NewService(cfg, box, clk.Now)
//	clk.Advance(time.Hour) // the grace period is over
//
// The zero Clock reads the zero time until it is set.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a Clock reading t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to t, forwards or backwards.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// Advance moves the clock forwards by d (backwards when d is negative) and
// returns the new time.
func (c *Clock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	return c.t
}
