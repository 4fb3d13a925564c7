package inbound

import (
	"testing"
	"time"

	"github.com/wexio/webhooks/ent/schema/pulid"
)

// TestRefusalLogRate: a webhook stores its rate's worth of refusals a
// second (a burst of as many at first), each webhook its own; the count
// left out is reported at the first refusal left out and then once a
// minute; rate 0 stores every one.
func TestRefusalLogRate(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	l := newRefusalLog(10, func() time.Time { return now })
	a, b := pulid.ID("wh_a"), pulid.ID("wh_b")
	kept, reports := 0, []int{}
	for range 25 {
		ok, report := l.keep(a)
		if ok {
			kept++
		}
		if report > 0 {
			reports = append(reports, report)
		}
	}
	if kept != 10 || len(reports) != 1 || reports[0] != 1 {
		t.Fatalf("a burst of 25: kept %d, reports %v; want 10 and [1]", kept, reports)
	}
	if ok, _ := l.keep(b); !ok {
		t.Fatal("another webhook's first refusal was not kept")
	}
	now = now.Add(500 * time.Millisecond) // five more allowed
	kept = 0
	for range 20 {
		if ok, report := l.keep(a); ok {
			kept++
		} else if report != 0 {
			t.Fatalf("reported %d within the minute", report)
		}
	}
	if kept != 5 {
		t.Fatalf("half a second later: kept %d, want 5", kept)
	}
	now = now.Add(time.Minute)
	for range 10 {
		l.keep(a) // the allowance, full again
	}
	if ok, report := l.keep(a); ok || report != 14+15+1 {
		t.Fatalf("a minute later: ok %v report %d, want the 30 left out since the first report", ok, report)
	}
	if ok, _ := newRefusalLog(0, time.Now).keep(a); !ok {
		t.Fatal("rate 0 must keep every refusal")
	}
}
