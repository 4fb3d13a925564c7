package gctune

import "runtime/debug"

// DefaultPercent is the GC target used when GOGC is not set: the heap may
// grow to five times what is live before a collection.
// BenchmarkFlowPath: +14% runs/s against 100.
const DefaultPercent = 400

// Apply sets DefaultPercent unless the operator set GOGC, which the Go
// runtime has then applied already (as it applies GOMEMLIMIT, the way to
// bound memory under this setting). It returns the percent in force before,
// for a benchmark to put back.
func Apply(lookupEnv func(string) (string, bool)) (previous int) {
	if _, set := lookupEnv("GOGC"); set {
		previous = debug.SetGCPercent(100)
		debug.SetGCPercent(previous)
		return previous
	}
	return debug.SetGCPercent(DefaultPercent)
}
