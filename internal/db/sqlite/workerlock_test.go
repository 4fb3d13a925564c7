//go:build unix

package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/wexio/webhooks/internal/db/sqlite"
)

// TestWorkerLockSeesEveryRunningServer: a server starting alone is Sole; one
// starting beside a running one is not, whichever started first, and a
// restart beside a running server is not either. flock(2) locks belong to
// an open file, so each taker in this process stands for a process.
func TestWorkerLockSeesEveryRunningServer(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.db")
	take := func() *sqlite.WorkerLock {
		t.Helper()
		l, err := sqlite.TakeWorkerLock(path)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	a := take()
	if !a.Sole() {
		t.Fatal("the first server is not Sole")
	}
	b := take()
	if b.Sole() {
		t.Fatal("a server starting beside a running one is Sole")
	}
	// A restarts while B runs: B's leases are live.
	_ = a.Release()
	if a = take(); a.Sole() {
		t.Fatal("a server restarting beside a running one is Sole")
	}
	_ = a.Release()
	_ = b.Release()
	if c := take(); !c.Sole() {
		t.Fatal("a server starting after all stopped is not Sole")
	} else {
		_ = c.Release()
	}
}
