// Package db opens the embedded SQLite database the way it is meant to be
// used: WAL, a busy timeout, foreign keys, synchronous=NORMAL, immediate
// write transactions, one writer connection (so writers queue in Go rather
// than fight over the file lock) and a separate pool of readers.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	_ "github.com/mattn/go-sqlite3" // the embedded database driver

	"github.com/wexio/webhooks/ent"
	entmigrate "github.com/wexio/webhooks/ent/migrate"
	_ "github.com/wexio/webhooks/ent/runtime" // privacy policies and hooks
	"github.com/wexio/webhooks/ent/workspace"
)

// DB holds the two ent clients over one SQLite file.
type DB struct {
	// Write is the client for every write and for transactions.
	Write *ent.Client
	// Read is for reads outside transactions; it sees committed data.
	Read *ent.Client

	readDB *sql.DB // for Ping
}

// Readers is the size of the read pool.
const Readers = 4

// Open opens (creating it and its folder when missing) the SQLite file at
// path and brings its schema up to date.
func Open(ctx context.Context, path string) (*DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("creating database folder: %w", err)
		}
	}
	w, err := sql.Open("sqlite3", DSN(path, true))
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
	d := &DB{
		Write:  ent.NewClient(ent.Driver(entsql.OpenDB(dialect.SQLite, w))),
		Read:   ent.NewClient(ent.Driver(entsql.OpenDB(dialect.SQLite, r))),
		readDB: r,
	}
	if err := migrate(ctx, d.Write); err != nil {
		_ = d.Close()
		return nil, fmt.Errorf("migrating database: %w", err)
	}
	return d, nil
}

// DSN is the mattn/go-sqlite3 data source name for path. Writers take the
// write lock when a transaction begins (BEGIN IMMEDIATE), so a transaction
// never fails half-way trying to upgrade a read lock.
func DSN(path string, writer bool) string {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_busy_timeout", "10000")
	q.Set("_foreign_keys", "on")
	q.Set("_synchronous", "NORMAL")
	// ent sends the same few statements over and over; re-preparing them was
	// a tenth of the CPU of a delivery (profiled in BenchmarkDispatch).
	q.Set("_stmt_cache_size", "256")
	if writer {
		q.Set("_txlock", "immediate")
	}
	return "file:" + path + "?" + q.Encode()
}

// Ping checks that the database answers (readiness).
func (d *DB) Ping(ctx context.Context) error {
	// A query on one of our tables, not PingContext: the driver's ping only
	// checks it holds a connection, and answered ready with the file gone.
	var one int
	err := d.readDB.QueryRowContext(ctx, "SELECT 1 FROM "+workspace.Table+" LIMIT 1").Scan(&one)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("pinging database: %w", err)
	}
	return nil
}

// Close closes both pools.
func (d *DB) Close() error {
	werr := d.Write.Close()
	rerr := d.Read.Close()
	if werr != nil {
		return fmt.Errorf("closing database: %w", werr)
	}
	if rerr != nil {
		return fmt.Errorf("closing database: %w", rerr)
	}
	return nil
}

// migrateMu serialises migrations within the process: ent's Atlas migrator
// rewrites the package-level table descriptors of ent/migrate while it runs,
// so two databases opened at once (tests, CLI beside a server in one
// process) would race on them.
var migrateMu sync.Mutex

func migrate(ctx context.Context, c *ent.Client) error {
	migrateMu.Lock()
	defer migrateMu.Unlock()
	// Indexes the schema no longer declares are dropped, so a replaced
	// index does not go on costing every write.
	if err := c.Schema.Create(ctx, entmigrate.WithDropIndex(true)); err != nil {
		return err
	}
	return ensureLogCounts(ctx, c)
}
