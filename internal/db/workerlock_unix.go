//go:build unix

package db

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// TakeWorkerLock takes the worker lock of the database at path, through an
// flock(2) on path+"-workers.lock"; ErrWorkerLockHeld if a live process has
// it.
func TakeWorkerLock(path string) (*WorkerLock, error) {
	f, err := os.OpenFile(path+"-workers.lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("opening the worker lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		_ = f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, ErrWorkerLockHeld
		}
		return nil, fmt.Errorf("taking the worker lock: %w", err)
	}
	return &WorkerLock{release: f.Close}, nil
}
