package outbound

import (
	"testing"
	"time"

	"github.com/wexio/webhooks/ent/schema/pulid"
)

func TestLanesPaceSnoozedDeliveries(t *testing.T) {
	t.Parallel()
	l := newLanes(2)
	a, b := pulid.ID("wh_a"), pulid.ID("wh_b")
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	for range 2 {
		if _, ok := l.enter(a, now); !ok {
			t.Fatal("no place below the cap")
		}
	}
	if _, ok := l.enter(b, now); !ok {
		t.Fatal("another webhook's attempt waits for a full one")
	}
	// Over the cap, each further delivery gets the next expected place: one
	// every pace/max, the pace being firstPace before any attempt finished.
	for i := 1; i <= 3; i++ {
		at, ok := l.enter(a, now)
		if ok || !at.Equal(now.Add(time.Duration(i)*firstPace/2)) {
			t.Fatalf("delivery %d over the cap: ok=%v at %v, want %v", i, ok, at, now.Add(time.Duration(i)*firstPace/2))
		}
	}
	// Finished attempts set the pace: 4s attempts move it from 1s towards 4s.
	l.leave(a, 4*time.Second, now)
	if _, ok := l.enter(a, now); !ok {
		t.Fatal("a freed place was not given")
	}
	later := now.Add(time.Hour) // the snoozed places are long past
	at, ok := l.enter(a, later)
	if want := later.Add((3*firstPace + 4*time.Second) / 4 / 2); ok || !at.Equal(want) {
		t.Fatalf("after a 4s attempt: ok=%v at %v, want %v", ok, at, want)
	}
	// An idle webhook is forgotten once no snoozed delivery waits for the
	// places it was given.
	l.leave(b, time.Second, now)
	l.leave(a, time.Second, now)
	l.leave(a, time.Second, now)
	if _, kept := l.m[b]; kept || l.m[a] == nil {
		t.Fatalf("lanes = %v, want only wh_a (places given until %v)", l.m, at)
	}
	if _, ok := l.enter(a, later); !ok {
		t.Fatal("an idle webhook has no place")
	}
	l.leave(a, time.Second, at)
	if len(l.m) != 0 {
		t.Fatalf("lanes kept %d idle webhooks", len(l.m))
	}

	// Before any attempt ends, the pace is at least how long the lane has
	// been open: 10 s into a dead receiver's first wave, places are 5 s apart.
	c := pulid.ID("wh_c")
	l.enter(c, now)
	l.enter(c, now)
	at, ok = l.enter(c, now.Add(10*time.Second))
	if want := now.Add(15 * time.Second); ok || !at.Equal(want) {
		t.Fatalf("first wave: ok=%v at %v, want %v", ok, at, want)
	}
}
