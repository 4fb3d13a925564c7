//go:build unix

package db_test

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/wexio/webhooks/internal/db"
)

func TestWorkerLockIsHeldByOneAtATime(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.db")
	first, err := db.TakeWorkerLock(path)
	if err != nil {
		t.Fatal(err)
	}
	// flock(2) locks belong to an open file, so a second taker in this
	// process stands for another process.
	if _, err := db.TakeWorkerLock(path); !errors.Is(err, db.ErrWorkerLockHeld) {
		t.Fatalf("second taker: %v, want ErrWorkerLockHeld", err)
	}
	if err := first.Release(); err != nil {
		t.Fatal(err)
	}
	again, err := db.TakeWorkerLock(path)
	if err != nil {
		t.Fatalf("after the release: %v", err)
	}
	_ = again.Release()
}
