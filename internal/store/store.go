package store

import (
	"context"
	"log/slog"
	"time"

	"github.com/wexio/webhooks/ent"
)

// Store is one opened database, as the services see it. A driver fills it
// in (internal/db opens the one a URL names); nothing outside the drivers
// knows which database it is, except through Caps.
type Store struct {
	// Dialect is ent's name of the database's SQL dialect
	// (entgo.io/ent/dialect), for the few statements built by hand.
	Dialect string
	// Write is the client for every write and for transactions; its hooks
	// (InstallHooks) wake the workers after commits.
	Write *ent.Client
	// Read is for reads outside transactions; it sees committed data.
	Read *ent.Client
	// Writer batches write jobs into transactions.
	Writer Writer
	// Notifier carries wake-ups and invalidations after commits.
	Notifier Notifier
	// Caps says what this database can do.
	Caps Capabilities

	// The driver's own parts, behind the methods below.
	Driver Driver
}

// Capabilities are what a driver can do, for its users to choose how to
// work with it.
type Capabilities struct {
	// SharedNotify: notifications reach every process on the database, so
	// a change committed by one server is acted on by all at once. Without
	// it, other processes' commits are seen by polling and cache expiry.
	SharedNotify bool
	// RowLocks: claims lock the rows they take (FOR UPDATE SKIP LOCKED), so
	// several processes claim at once; without them claims are serialised
	// by the database's single write lock.
	RowLocks bool
	// SameHost: every process on the database runs on one host (one
	// file), so a host lock tells whether a server runs alone.
	SameHost bool
}

// Driver is what differs between databases beyond the ent clients.
type Driver interface {
	// Claimer returns the claimer of t's leased rows.
	Claimer(t LeaseTable) Claimer
	// JoinWorkers registers this process among those working the
	// database's queues, until the returned lock is released.
	JoinWorkers() (WorkerLock, error)
	// Singleton takes the database-wide lock name, for work that must run
	// on one server at a time (retention): ok is false, at once, when
	// another holder has it. It is held until release, or until the
	// holder's connection to the database ends; name must be usable in a
	// file name.
	Singleton(ctx context.Context, name string) (release func(), ok bool, err error)
	// TryLockTx takes the lock name until the transaction tx (a client
	// bound to it) ends, unless another transaction holds it: then ok is
	// false at once. It is for work that must not run twice at once on
	// several servers yet must not wait inside a write batch, where a
	// wait on another server's batch can close a deadlock through the
	// rows each holds. The same transaction may take it again.
	TryLockTx(ctx context.Context, tx *ent.Client, name string) (ok bool, err error)
	// Ping checks that the database answers a query on its tables.
	Ping(ctx context.Context) error
	// Close finishes the writes queued and closes the database.
	Close() error
}

// WorkerLock is a process's membership among the workers of a database.
type WorkerLock interface {
	// Sole reports whether no other worker was running when this one
	// joined: every lease in the database was then left by a process that
	// is gone, and can be released at once.
	Sole() bool
	// Release leaves the workers.
	Release() error
}

// Claimer returns the claimer of t's leased rows.
func (s *Store) Claimer(t LeaseTable) Claimer { return s.Driver.Claimer(t) }

// JoinWorkers registers this process among the database's workers.
func (s *Store) JoinWorkers() (WorkerLock, error) { return s.Driver.JoinWorkers() }

// Singleton takes the database-wide lock name unless another server
// holds it (ok false): see Driver.
func (s *Store) Singleton(ctx context.Context, name string) (release func(), ok bool, err error) {
	return s.Driver.Singleton(ctx, name)
}

// TryLockTx takes the lock name for the rest of tx's transaction unless
// another transaction holds it (ok false): see Driver.
func (s *Store) TryLockTx(ctx context.Context, tx *ent.Client, name string) (ok bool, err error) {
	return s.Driver.TryLockTx(ctx, tx, name)
}

// Ping checks that the database answers (readiness).
func (s *Store) Ping(ctx context.Context) error { return s.Driver.Ping(ctx) }

// Close finishes the queued writes and closes the database.
func (s *Store) Close() error { return s.Driver.Close() }

// Migration brings tables a package keeps by hand (beside ent's schema) up
// to date, in the database's dialect: history's hourly counters, say.
type Migration func(ctx context.Context, c *ent.Client, dialect string) error

// Options are what opening a store takes besides its URL.
type Options struct {
	Log        *slog.Logger // nil: discarded
	Migrations []Migration  // run after ent's schema, in order
	// Heartbeat is how often a server working a shared database's queues
	// says it is alive; one silent for 6 heartbeats is taken for dead and
	// its leases released. Zero: 5 s, so a killed server's work is taken
	// over within 40 s. Tests shorten it.
	Heartbeat time.Duration
	// Commits, when set, is told of each batch the writer commits.
	Commits CommitObserver
	// SQLiteSynchronous is SQLite's synchronous setting for the writer:
	// "FULL" (the default: a commit survives power loss) or "NORMAL"
	// (WEXIO_SQLITE_SYNCHRONOUS=normal: a power loss may undo commits
	// already acknowledged). Other databases ignore it.
	SQLiteSynchronous string
}

// CommitObserver is told how long each write batch took, from its first
// statement to its commit, and how many jobs it held (metrics).
type CommitObserver interface {
	Commit(took time.Duration, jobs int)
}

// Logger is o.Log, or a logger that discards.
func (o Options) Logger() *slog.Logger {
	if o.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return o.Log
}
