package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/jackc/pgx/v5"

	"github.com/wexio/webhooks/internal/db"
	"github.com/wexio/webhooks/internal/history"
	"github.com/wexio/webhooks/internal/store"
)

// openStore is the one place a target's store is chosen: a fresh SQLite
// file under dir, or, with a database URL, that PostgreSQL database after
// emptying it (resetSchema), so each target starts from nothing, with the
// log counters internal/app migrates: the full path counts its rows, as
// the server's does.
func openStore(ctx context.Context, name, dir, dbURL string, log *slog.Logger) (*store.Store, error) {
	migrations := []store.Migration{history.MigrateCounters}
	if dbURL == "" {
		// WEXIO_SQLITE_SYNCHRONOUS=normal measures the server's opt-out.
		return db.Open(ctx, "sqlite://"+filepath.Join(dir, name, "bench.db"),
			store.Options{Log: log, Migrations: migrations, SQLiteSynchronous: os.Getenv("WEXIO_SQLITE_SYNCHRONOUS")})
	}
	if err := resetSchema(ctx, dbURL); err != nil {
		return nil, err
	}
	return db.Open(ctx, dbURL, store.Options{Log: log, Migrations: migrations})
}

// resetSchema drops and recreates the public schema of the database at
// dbURL: -database-url must name a throwaway database.
func resetSchema(ctx context.Context, dbURL string) error {
	conn, err := pgConnect(ctx, dbURL)
	if err != nil {
		return err
	}
	defer func() { _ = conn.Close(context.Background()) }()
	if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public"); err != nil {
		return fmt.Errorf("resetting the benchmark database: %w", err)
	}
	return nil
}

// pgConnect opens one connection that acknowledges a commit only after
// its WAL is flushed, as internal/db/postgres does.
func pgConnect(ctx context.Context, dbURL string) (*pgx.Conn, error) {
	cfg, err := pgx.ParseConfig(dbURL)
	if err != nil {
		return nil, fmt.Errorf("parsing -database-url: invalid URL")
	}
	cfg.RuntimeParams["synchronous_commit"] = "on"
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connecting to the benchmark database: %w", err)
	}
	return conn, nil
}
