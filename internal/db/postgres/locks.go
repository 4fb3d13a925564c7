package postgres

import (
	"context"
	sqldriver "database/sql/driver"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/wexio/webhooks/ent"
)

// The first keys of the two-key advisory locks Singleton and TryLockTx
// take, the second being the name's hash: PostgreSQL keeps two-key locks
// apart from one-key ones (migrationLock), so a hash never meets those,
// and the two kinds never meet each other.
const (
	singletonSpace = 0x7765 // "we"
	txLockSpace    = 0x7766
)

// unlockTimeout bounds giving a singleton back: with the database gone the
// connection is dropped instead, which ends the lock as surely.
const unlockTimeout = 5 * time.Second

// Singleton implements store.Driver with a session advisory lock on a
// connection of its own, held until release: a server that dies, or loses
// its connection, loses the lock with it.
func (d *driver) Singleton(ctx context.Context, name string) (release func(), ok bool, err error) {
	conn, err := d.db.Conn(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("taking the %s lock: %w", name, err)
	}
	err = conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1::int4, hashtext($2))", singletonSpace, name).Scan(&ok)
	if err != nil || !ok {
		_ = conn.Close()
		if err != nil {
			return nil, false, fmt.Errorf("taking the %s lock: %w", name, err)
		}
		return nil, false, nil
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			uctx, cancel := context.WithTimeout(context.Background(), unlockTimeout)
			defer cancel()
			_, err := conn.ExecContext(uctx, "SELECT pg_advisory_unlock($1::int4, hashtext($2))", singletonSpace, name)
			if err != nil {
				// Not known to be unlocked: the pool must not keep a
				// connection that may still hold it.
				_ = conn.Raw(func(any) error { return sqldriver.ErrBadConn })
			}
			_ = conn.Close()
		})
	}, true, nil
}

// TryLockTx implements store.Driver with a transaction advisory lock,
// which PostgreSQL drops when the transaction ends, however it ends. Two
// names may share a hash: a taker of one then finds it held by the other,
// and tries again later, as for its own.
func (d *driver) TryLockTx(ctx context.Context, tx *ent.Client, name string) (bool, error) {
	rows, err := tx.QueryContext(ctx, "SELECT pg_try_advisory_xact_lock($1::int4, hashtext($2))", txLockSpace, name)
	if err != nil {
		return false, fmt.Errorf("taking lock %q: %w", name, err)
	}
	defer rows.Close()
	var ok bool
	if rows.Next() {
		err = rows.Scan(&ok)
	}
	if err = errors.Join(err, rows.Err()); err != nil {
		return false, fmt.Errorf("taking lock %q: %w", name, err)
	}
	return ok, nil
}
