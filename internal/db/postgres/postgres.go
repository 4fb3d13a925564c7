package postgres

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/wexio/webhooks/ent"
	_ "github.com/wexio/webhooks/ent/runtime" // privacy policies and hooks
	"github.com/wexio/webhooks/ent/workspace"
	"github.com/wexio/webhooks/internal/groupcommit"
	"github.com/wexio/webhooks/internal/store"
)

// MaxConns is the size of the connection pool every client shares: the
// writer's batch, claims, GraphQL transactions and reads, and the notifier.
const MaxConns = 16

// ErrURL is wrapped by errors about a database URL that does not parse;
// they never repeat the URL, which may hold a password.
var ErrURL = errors.New("postgres: invalid database URL")

// driver is PostgreSQL's store.Driver.
type driver struct {
	db       *sql.DB
	write    *ent.Client
	read     *ent.Client
	writer   *groupcommit.Writer
	notifier *notifier
	workers  *workers
}

var _ store.Driver = (*driver)(nil)

// Open connects to the database at url (postgres:// or postgresql://),
// waits for it up to ctx's deadline, brings its schema up to date under an
// advisory lock, and starts its writer and notifier.
func Open(ctx context.Context, url string, opts store.Options) (*store.Store, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, ErrURL // pgx's error quotes the URL
	}
	// A 202 means the row is committed: never run with a server default
	// that acknowledges before the WAL is flushed.
	cfg.RuntimeParams["synchronous_commit"] = "on"
	cfg.RuntimeParams["timezone"] = "UTC"
	db := stdlib.OpenDB(*cfg, stdlib.OptionAfterConnect(scanTimesInUTC))
	db.SetMaxOpenConns(MaxConns)
	db.SetMaxIdleConns(MaxConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := ping(ctx, db); err != nil {
		_ = db.Close()
		return nil, err
	}
	drv := entsql.OpenDB(dialect.Postgres, db)
	d := &driver{db: db, write: ent.NewClient(ent.Driver(drv)), read: ent.NewClient(ent.Driver(drv))}
	if err := migrate(ctx, db, d.write, opts.Migrations); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("migrating database: %w", err)
	}
	log := opts.Logger()
	if d.notifier, err = newNotifier(ctx, cfg, db, log); err != nil {
		_ = db.Close()
		return nil, err
	}
	store.InstallHooks(d.write, d.notifier)
	d.writer = groupcommit.New(d.write, log, opts.Commits)
	d.workers = &workers{db: db, write: d.write, log: log, holder: store.NewHolder(),
		every: cmp.Or(opts.Heartbeat, defaultHeartbeat)}
	return &store.Store{
		Dialect: dialect.Postgres, Write: d.write, Read: d.read, Writer: d.writer, Notifier: d.notifier,
		Caps:   store.Capabilities{SharedNotify: true, RowLocks: true},
		Driver: d,
	}, nil
}

// ping waits for the database to answer, until ctx ends: a server starting
// beside its database (compose) must not give up at the first refusal.
func ping(ctx context.Context, db *sql.DB) error {
	wait := 100 * time.Millisecond
	for {
		pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err := db.PingContext(pctx)
		cancel()
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("connecting to the database: %w", err)
		case <-time.After(wait):
		}
		wait = min(2*wait, 2*time.Second)
	}
}

// migrationLock is the advisory lock every server takes to migrate: the
// first to start migrates, the others wait and then find nothing to do.
const migrationLock = 0x77657869 // "wexi"

func migrate(ctx context.Context, db *sql.DB, c *ent.Client, more []store.Migration) (err error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrationLock); err != nil {
		return fmt.Errorf("taking the migration lock: %w", err)
	}
	defer func() {
		// The lock is the session's: released here, or with the
		// connection should this fail.
		if _, uerr := conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrationLock); uerr != nil && err == nil {
			err = fmt.Errorf("releasing the migration lock: %w", uerr)
		}
	}()
	if err := store.Migrate(ctx, c, dialect.Postgres, more); err != nil {
		return err
	}
	return ensureWorkers(ctx, db)
}

// Ping implements store.Driver.
func (d *driver) Ping(ctx context.Context) error {
	var one int
	err := d.db.QueryRowContext(ctx, "SELECT 1 FROM "+workspace.Table+" LIMIT 1").Scan(&one)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("pinging database: %w", err)
	}
	return nil
}

// Close implements store.Driver: the writer commits what is queued first.
func (d *driver) Close() error {
	d.writer.Close()
	d.notifier.close()
	d.workers.stop()
	return d.db.Close()
}

// JoinWorkers implements store.Driver with a heartbeat row.
func (d *driver) JoinWorkers() (store.WorkerLock, error) { return d.workers.join(context.Background()) }

// Claimer implements store.Driver.
// Claims run in short transactions of their own, not through the writer:
// the due rows are read FOR UPDATE SKIP LOCKED, so claims by several
// servers at once each take different rows and never wait for one another.
func (d *driver) Claimer(t store.LeaseTable) store.Claimer {
	d.workers.register(t)
	return store.NewClaimer(t, d.workers.holder, true, d.inTx)
}

// inTx runs fn in a transaction of its own, committed when fn succeeds
// (the wake hooks notify after that commit).
func (d *driver) inTx(ctx context.Context, fn func(context.Context, *ent.Client) error) error {
	tx, err := d.write.Tx(ctx)
	if err != nil {
		return err
	}
	if err := fn(ctx, tx.Client()); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}
