package sqlite

// WorkerLock is held, for as long as it runs, by every server working the
// queues (deliveries, flow runs) of one SQLite database: shared by all of
// them, and exclusively, for a moment, by one starting while no other
// runs. The operating system drops a holder's part when its process ends,
// however it ends. So a server that starts alone (Sole) knows every lease
// left in the database belongs to a process that is gone, and can release
// them at once instead of waiting them out; one starting beside another
// cannot tell a dead server's leases from a live one's.
type WorkerLock struct {
	sole    bool
	release func() error
}

// Sole reports whether no other server was running when this one took the
// lock. One that starts later is not seen.
func (l *WorkerLock) Sole() bool { return l.sole }

// Release drops the lock.
func (l *WorkerLock) Release() error { return l.release() }
