package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	_ "github.com/mattn/go-sqlite3" // the embedded database driver

	"github.com/wexio/webhooks/ent"
	_ "github.com/wexio/webhooks/ent/runtime" // privacy policies and hooks
	"github.com/wexio/webhooks/ent/workspace"
	"github.com/wexio/webhooks/internal/groupcommit"
	"github.com/wexio/webhooks/internal/store"
)

// Readers is the size of the read pool.
const Readers = 4

// driver is SQLite's store.Driver.
type driver struct {
	holder string // this process's id in claim tokens
	path   string
	writer *groupcommit.Writer
	write  *ent.Client
	read   *ent.Client
	readDB *sql.DB // for Ping
}

var _ store.Driver = (*driver)(nil)

// Open opens (creating it and its folder when missing) the SQLite file at
// path, brings its schema up to date and starts its writer.
func Open(ctx context.Context, path string, opts store.Options) (*store.Store, error) {
	if code := statementJournalSpillResult; code != 0 {
		opts.Logger().Warn("sqlite: statement journals spill to disk past SQLite's default 64 KiB: the library refused the larger threshold",
			"sqlite_result_code", code, "threshold_bytes", StatementJournalSpill)
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("creating database folder: %w", err)
		}
	}
	w, err := sql.Open("sqlite3", dsn(path, true, cmp.Or(strings.ToUpper(opts.SQLiteSynchronous), "FULL")))
	if err != nil {
		return nil, fmt.Errorf("opening database: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	r, err := sql.Open("sqlite3", DSN(path, false))
	if err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("opening database: %w", err)
	}
	r.SetMaxOpenConns(Readers)
	r.SetMaxIdleConns(Readers)
	d := &driver{
		holder: store.NewHolder(),
		path:   path,
		write:  ent.NewClient(ent.Driver(entsql.OpenDB(dialect.SQLite, w))),
		read:   ent.NewClient(ent.Driver(entsql.OpenDB(dialect.SQLite, r))),
		readDB: r,
	}
	if err := store.Migrate(ctx, d.write, dialect.SQLite, opts.Migrations); err != nil {
		_ = d.closeClients()
		return nil, fmt.Errorf("migrating database: %w", err)
	}
	n := store.NewLocal()
	store.InstallHooks(d.write, n)
	d.writer = groupcommit.New(d.write, opts.Logger(), opts.Commits)
	return &store.Store{
		Dialect: dialect.SQLite, Write: d.write, Read: d.read, Writer: d.writer, Notifier: n,
		Caps:   store.Capabilities{SameHost: true},
		Driver: d,
	}, nil
}

// DSN is the mattn/go-sqlite3 data source name for path. Writers take the
// write lock when a transaction begins (BEGIN IMMEDIATE), so a transaction
// never fails half-way trying to upgrade a read lock.
func DSN(path string, writer bool) string { return dsn(path, writer, "FULL") }

// dsn is DSN with SQLite's synchronous setting: FULL makes a commit durable
// across power loss (WAL synced at every commit: once per group-commit
// batch); NORMAL in WAL mode only across a crash of the process.
func dsn(path string, writer bool, synchronous string) string {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_busy_timeout", "10000")
	q.Set("_foreign_keys", "on")
	q.Set("_synchronous", synchronous)
	// ent sends the same few statements over and over; re-preparing them was
	// a tenth of the CPU of a delivery (profiled in BenchmarkDispatch).
	q.Set("_stmt_cache_size", "256")
	if writer {
		q.Set("_txlock", "immediate")
	}
	return "file:" + path + "?" + q.Encode()
}

// Ping implements store.Driver.
func (d *driver) Ping(ctx context.Context) error {
	// A query on one of our tables, not PingContext: the driver's ping only
	// checks it holds a connection, and answered ready with the file gone.
	var one int
	err := d.readDB.QueryRowContext(ctx, "SELECT 1 FROM "+workspace.Table+" LIMIT 1").Scan(&one)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("pinging database: %w", err)
	}
	return nil
}

// Close implements store.Driver: the writer commits what is queued first.
func (d *driver) Close() error {
	d.writer.Close()
	return d.closeClients()
}

func (d *driver) closeClients() error {
	werr := d.write.Close()
	rerr := d.read.Close()
	if werr != nil {
		return fmt.Errorf("closing database: %w", werr)
	}
	if rerr != nil {
		return fmt.Errorf("closing database: %w", rerr)
	}
	return nil
}

// JoinWorkers implements store.Driver with a host lock beside the file.
func (d *driver) JoinWorkers() (store.WorkerLock, error) { return TakeWorkerLock(d.path) }

// Claimer implements store.Driver.
// Claims go through the group-commit writer: a claim is one short job in
// a write transaction (BEGIN IMMEDIATE), so no two claims overlap and no
// work ever runs while the lock is held.
func (d *driver) Claimer(t store.LeaseTable) store.Claimer {
	return store.NewClaimer(t, d.holder, false, func(ctx context.Context, fn func(context.Context, *ent.Client) error) error {
		return d.writer.Do(ctx, func(ctx context.Context, tx *ent.Tx, _ *store.Hooks) error { return fn(ctx, tx.Client()) })
	})
}
