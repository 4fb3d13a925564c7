package outbound

import (
	"testing"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
)

func gated(hook pulid.ID, id string) *ent.Delivery {
	return &ent.Delivery{ID: pulid.ID(id), WebhookID: hook}
}

// idOf is dl's id, "" for none.
func idOf(dl *ent.Delivery) string {
	if dl == nil {
		return ""
	}
	return string(dl.ID)
}

// TestGateHoldsTheShareAndHandsOverInOrder: a webhook runs its share at
// once; the next wait, oldest first, each handed to an attempt that ends;
// another webhook is not held up by them.
func TestGateHoldsTheShareAndHandsOverInOrder(t *testing.T) {
	var g gate
	if idOf(g.enter(gated("wh_a", "d1"), 2)) != "d1" || idOf(g.enter(gated("wh_a", "d2"), 2)) != "d2" {
		t.Fatal("the first two of a share of 2 must start")
	}
	if g.enter(gated("wh_a", "d3"), 2) != nil || g.enter(gated("wh_a", "d4"), 2) != nil {
		t.Fatal("a third and fourth must wait")
	}
	if idOf(g.enter(gated("wh_b", "e1"), 1)) != "e1" {
		t.Fatal("another webhook's delivery must start")
	}
	for _, want := range []string{"d3", "d4"} {
		if got := g.leave("wh_a", 2); idOf(got) != want {
			t.Fatalf("an attempt ended: handed %q, want %s", idOf(got), want)
		}
	}
	for range 2 {
		if got := g.leave("wh_a", 2); got != nil {
			t.Fatalf("handed %s with nothing waiting", got.ID)
		}
	}
	if g.enter(gated("wh_a", "d5"), 2) == nil || g.enter(gated("wh_a", "d6"), 2) == nil {
		t.Fatal("once every attempt ended, the whole share is free again")
	}
}

// TestGateFollowsALoweredShare: with the share lowered from 3 to 1, ending
// attempts hand over nothing until only one runs.
func TestGateFollowsALoweredShare(t *testing.T) {
	var g gate
	for _, id := range []string{"d1", "d2", "d3", "d4"} {
		g.enter(gated("wh_a", id), 3)
	}
	if got := g.leave("wh_a", 1); got != nil {
		t.Fatalf("handed %s with 2 still running of a share of 1", got.ID)
	}
	if got := g.leave("wh_a", 1); got != nil {
		t.Fatalf("handed %s with 1 running of a share of 1", got.ID)
	}
	if got := g.leave("wh_a", 1); idOf(got) != "d4" {
		t.Fatalf("the last attempt ended: handed %q, want d4", idOf(got))
	}
	if got := g.leave("wh_a", 1); got != nil {
		t.Fatalf("handed %s with nothing waiting", got.ID)
	}
}

// TestGateFillsARaisedShare: with the share raised from 1 to 3, each
// delivery that arrives starts the oldest waiting one, until 3 run; the
// order stays the order of arrival.
func TestGateFillsARaisedShare(t *testing.T) {
	var g gate
	g.enter(gated("wh_a", "d1"), 1)
	if g.enter(gated("wh_a", "d2"), 1) != nil {
		t.Fatal("a second of a share of 1 must wait")
	}
	for _, step := range []struct{ arrives, starts string }{{"d3", "d2"}, {"d4", "d3"}, {"d5", ""}} {
		if got := g.enter(gated("wh_a", step.arrives), 3); idOf(got) != step.starts {
			t.Fatalf("%s arrived under a share of 3: started %q, want %q", step.arrives, idOf(got), step.starts)
		}
	}
	if got := g.leave("wh_a", 3); idOf(got) != "d4" {
		t.Fatalf("an attempt ended: handed %q, want d4", idOf(got))
	}
}

// TestGateDrainsWhatWaits: on stop, every waiting delivery comes out, once.
func TestGateDrainsWhatWaits(t *testing.T) {
	var g gate
	g.enter(gated("wh_a", "d1"), 1)
	g.enter(gated("wh_a", "d2"), 1)
	g.enter(gated("wh_b", "e1"), 1)
	g.enter(gated("wh_b", "e2"), 1)
	if got := g.drain(); len(got) != 2 {
		t.Fatalf("drained %d, want the 2 waiting", len(got))
	}
	if got := g.drain(); len(got) != 0 {
		t.Fatalf("drained %d again", len(got))
	}
	if got := g.leave("wh_a", 1); got != nil {
		t.Fatalf("handed %s after the drain", got.ID)
	}
}

// TestGateHoldsWhatWaitedUntilDone: a delivery that starts at once is not
// the gate's to hold (its worker is on it); one that waits is held from
// the moment it waits until done, handed over meanwhile or not.
func TestGateHoldsWhatWaitedUntilDone(t *testing.T) {
	var g gate
	g.enter(gated("wh_a", "d1"), 1)
	g.enter(gated("wh_a", "d2"), 1)
	if g.holds("d1") || !g.holds("d2") {
		t.Fatalf("held d1 %v, d2 %v; want only the waiting d2", g.holds("d1"), g.holds("d2"))
	}
	if got := g.leave("wh_a", 1); idOf(got) != "d2" || !g.holds("d2") {
		t.Fatalf("handed %q; d2 held %v: handed over, its attempt not yet recorded, it is still held", idOf(got), g.holds("d2"))
	}
	g.done("d2")
	if g.holds("d2") {
		t.Fatal("d2 still held after done")
	}
}
