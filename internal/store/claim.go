package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
)

// LeaseTable is what a claimer needs of one table of leased rows (outbound
// deliveries, flow runs): the queries, each given the client it must use
// (the claim's transaction). A row is due when its next_attempt_at has
// passed and it holds no live lease.
type LeaseTable struct {
	Name string // what the rows are, for errors: "deliveries"
	// Expired and Unleased return up to limit due rows whose lease ended,
	// and due rows with no lease in due order: two ranges of an index on
	// (claimed_until, next_attempt_at), so a claim never walks the rows
	// in flight. With lock, they lock the rows they return and skip rows
	// other claims hold (FOR UPDATE SKIP LOCKED: Capabilities.RowLocks).
	Expired, Unleased func(ctx context.Context, c *ent.Client, now time.Time, limit int, lock bool) ([]pulid.ID, error)
	// Due, when set, chooses the rows a claim takes instead of Expired
	// then Unleased: a table whose rows are shared out among their owners
	// (deliveries among webhooks, outbound.Deliveries) decides from both
	// at once.
	Due func(ctx context.Context, c *ent.Client, now time.Time, limit int, lock bool) ([]pulid.ID, error)
	// Lease marks ids claimed until until by token (and whatever else a
	// claim sets).
	Lease func(ctx context.Context, c *ent.Client, ids []pulid.ID, now, until time.Time, token string) error
	// Unlease drops the leases of those of ids not finished.
	Unlease func(ctx context.Context, c *ent.Client, ids []pulid.ID) error
	// UnleaseAll drops every lease on unfinished rows and says how many.
	UnleaseAll func(ctx context.Context, c *ent.Client) (int, error)
	// UnleaseHeldBy drops the leases whose token starts with prefix (those
	// of a server that died) and says how many.
	UnleaseHeldBy func(ctx context.Context, c *ent.Client, prefix string) (int, error)
}

// DueIDs returns up to limit rows that may be claimed at now, expired
// leases first (their worker died); lock as for Expired.
func (t LeaseTable) DueIDs(ctx context.Context, c *ent.Client, now time.Time, limit int, lock bool) ([]pulid.ID, error) {
	if t.Due != nil {
		return t.Due(ctx, c, now, limit, lock)
	}
	expired, err := t.Expired(ctx, c, now, limit, lock)
	if err != nil || len(expired) == limit {
		return expired, err
	}
	fresh, err := t.Unleased(ctx, c, now, limit-len(expired), lock)
	return append(expired, fresh...), err
}

// Claimer hands out due rows of one table under a lease. ctx must allow
// system access (auth.System): claims cross workspaces.
type Claimer interface {
	// Claim leases up to limit due rows until now+lease, committed before
	// it returns, and returns their ids and the claim's token, which
	// whoever finishes a row checks: a worker whose lease ran out and was
	// claimed again by another finishes nothing.
	Claim(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]pulid.ID, string, error)
	// Release drops the leases of rows this process will not work on, so
	// they are due again at once instead of when the lease ends.
	Release(ctx context.Context, ids []pulid.ID) error
	// ReleaseAbandoned drops every lease in the table and says how many:
	// only for a process that knows no other works the table
	// (WorkerLock.Sole), or a live worker's leases would go too.
	ReleaseAbandoned(ctx context.Context) (int, error)
}

// Lockable is an ent query that can lock the rows it reads.
type Lockable[Q any] interface {
	ForUpdate(opts ...sql.LockOption) Q
}

// LockIf makes q lock the rows it reads and skip those other claims hold
// when lock is set: what a LeaseTable's queries do for a store with
// Capabilities.RowLocks.
func LockIf[Q Lockable[Q]](q Q, lock bool) Q {
	if !lock {
		return q
	}
	return q.ForUpdate(sql.WithLockAction(sql.SkipLocked))
}

// NewToken returns a claim's token: the claiming server's holder id, a dot
// and 64 random bits, so that the leases of a server that died can be told
// (UnleaseHeldBy with its holder id and the dot).
func NewToken(holder string) string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return holder + "." + hex.EncodeToString(b[:])
}

// NewHolder returns a server's holder id for claim tokens.
func NewHolder() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
