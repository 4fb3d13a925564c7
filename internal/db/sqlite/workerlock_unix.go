//go:build unix

package sqlite

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// TakeWorkerLock takes the worker lock of the database at path, an flock(2)
// on path+"-workers.lock": exclusively if no other server holds it (Sole),
// then shared, as every running server holds it, so a server that starts
// later sees this one.
func TakeWorkerLock(path string) (*WorkerLock, error) {
	f, err := os.OpenFile(path+"-workers.lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("opening the worker lock: %w", err)
	}
	fd := int(f.Fd())
	sole := true
	if err := syscall.Flock(fd, syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			_ = f.Close()
			return nil, fmt.Errorf("taking the worker lock: %w", err)
		}
		sole = false
	}
	// Shared from here on (a conversion, when exclusive): waits only while
	// another server starting holds it exclusively.
	if err := syscall.Flock(fd, syscall.LOCK_SH); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("sharing the worker lock: %w", err)
	}
	return &WorkerLock{sole: sole, release: f.Close}, nil
}
