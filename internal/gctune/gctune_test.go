package gctune

import (
	"runtime/debug"
	"testing"
)

func TestApply(t *testing.T) {
	old := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(old) })

	unset := func(string) (string, bool) { return "", false }
	if prev := Apply(unset); prev != 100 {
		t.Fatalf("Apply without GOGC returned %d, want the 100 before it", prev)
	}
	if got := debug.SetGCPercent(50); got != DefaultPercent {
		t.Fatalf("GC percent in force = %d, want %d", got, DefaultPercent)
	}

	// An operator's GOGC was applied by the runtime at start: Apply keeps
	// whatever is in force.
	set := func(k string) (string, bool) { return "50", k == "GOGC" }
	if prev := Apply(set); prev != 50 {
		t.Fatalf("Apply with GOGC=50 returned %d, want 50", prev)
	}
	if got := debug.SetGCPercent(100); got != 50 {
		t.Fatalf("GC percent in force = %d, want 50 (left alone)", got)
	}
}
