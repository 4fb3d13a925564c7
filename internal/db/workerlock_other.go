//go:build !unix

package db

import "errors"

// TakeWorkerLock is not implemented here: without it, leases left by a
// process that died are waited out.
func TakeWorkerLock(path string) (*WorkerLock, error) {
	return nil, errors.New("db: no worker lock on this system")
}
