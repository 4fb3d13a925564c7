package db

import "errors"

// ErrWorkerLockHeld is returned by TakeWorkerLock when another live
// process holds the lock.
var ErrWorkerLockHeld = errors.New("db: another process works this database's queues")

// WorkerLock is held, for as long as a server runs, by the process working
// the queues (deliveries, flow runs) of one SQLite database. The operating
// system drops it when that process ends, however it ends; so whoever
// takes it knows every lease left in the database belongs to a process
// that is gone, and can release them at once instead of waiting them out.
type WorkerLock struct {
	release func() error
}

// Release drops the lock.
func (l *WorkerLock) Release() error { return l.release() }
