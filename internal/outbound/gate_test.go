package outbound

import (
	"testing"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
)

func gated(hook pulid.ID, id string) *ent.Delivery {
	return &ent.Delivery{ID: pulid.ID(id), WebhookID: hook}
}

// TestGateHoldsTheShareAndHandsOverInOrder: a webhook runs its share at
// once; the next wait, oldest first, each handed to an attempt that ends;
// another webhook is not held up by them.
func TestGateHoldsTheShareAndHandsOverInOrder(t *testing.T) {
	var g gate
	if !g.enter(gated("wh_a", "d1"), 2) || !g.enter(gated("wh_a", "d2"), 2) {
		t.Fatal("the first two of a share of 2 must start")
	}
	if g.enter(gated("wh_a", "d3"), 2) || g.enter(gated("wh_a", "d4"), 2) {
		t.Fatal("a third and fourth must wait")
	}
	if !g.enter(gated("wh_b", "e1"), 1) {
		t.Fatal("another webhook's delivery must start")
	}
	for _, want := range []string{"d3", "d4"} {
		if got := g.leave("wh_a", 2); got == nil || got.ID != pulid.ID(want) {
			t.Fatalf("an attempt ended: handed %v, want %s", got, want)
		}
	}
	for range 2 {
		if got := g.leave("wh_a", 2); got != nil {
			t.Fatalf("handed %s with nothing waiting", got.ID)
		}
	}
	if !g.enter(gated("wh_a", "d5"), 2) || !g.enter(gated("wh_a", "d6"), 2) {
		t.Fatal("once every attempt ended, the whole share is free again")
	}
}

// TestGateFollowsALoweredShare: with the share lowered from 3 to 1, ending
// attempts hand over nothing until only one runs.
func TestGateFollowsALoweredShare(t *testing.T) {
	var g gate
	for _, id := range []string{"d1", "d2", "d3"} {
		g.enter(gated("wh_a", id), 3)
	}
	g.enter(gated("wh_a", "d4"), 3)
	if got := g.leave("wh_a", 1); got != nil {
		t.Fatalf("handed %s with 2 still running of a share of 1", got.ID)
	}
	if got := g.leave("wh_a", 1); got != nil {
		t.Fatalf("handed %s with 1 running of a share of 1", got.ID)
	}
	if got := g.leave("wh_a", 1); got == nil || got.ID != "d4" {
		t.Fatalf("the last attempt ended: handed %v, want d4", got)
	}
	if got := g.leave("wh_a", 1); got != nil {
		t.Fatalf("handed %s with nothing waiting", got.ID)
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
