package testkit

import (
	"testing"
	"time"
)

// Eventually polls cond until it holds, failing t after 10 s with what it
// was waiting for. It is for work other goroutines do, never for a clock a
// test moves itself.
func Eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
