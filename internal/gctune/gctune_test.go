package gctune

import (
	"runtime/debug"
	"testing"
)

func TestApply(t *testing.T) {
	old := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(old) })

	unset := func(string) (string, bool) { return "", false }
	if got := Apply(unset); got != DefaultPercent {
		t.Fatalf("Apply without GOGC = %d, want %d", got, DefaultPercent)
	}
	if got := debug.SetGCPercent(100); got != DefaultPercent {
		t.Fatalf("GC percent in force = %d, want %d", got, DefaultPercent)
	}

	// An operator's GOGC was applied by the runtime at start: Apply keeps
	// whatever is in force.
	debug.SetGCPercent(50)
	set := func(k string) (string, bool) { return "50", k == "GOGC" }
	if got := Apply(set); got != 50 {
		t.Fatalf("Apply with GOGC=50 = %d, want 50", got)
	}
	if got := debug.SetGCPercent(100); got != 50 {
		t.Fatalf("GC percent in force = %d, want 50 (left alone)", got)
	}
}
