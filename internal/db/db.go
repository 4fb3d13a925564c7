package db

import (
	"context"
	"fmt"
	"strings"

	"github.com/wexio/webhooks/internal/db/postgres"
	"github.com/wexio/webhooks/internal/db/sqlite"
	"github.com/wexio/webhooks/internal/store"
)

// Open opens the store at url and brings its schema up to date.
func Open(ctx context.Context, url string, opts store.Options) (*store.Store, error) {
	scheme, rest, ok := strings.Cut(url, "://")
	if !ok {
		return nil, fmt.Errorf("opening database: not a database URL (sqlite:// or postgres://)")
	}
	// config.Load has vetted url already; this is only the dispatch.
	switch strings.ToLower(scheme) {
	case "sqlite":
		if rest == "" {
			return nil, fmt.Errorf("opening database: sqlite:// needs a file path")
		}
		return sqlite.Open(ctx, rest, opts)
	case "postgres", "postgresql":
		return postgres.Open(ctx, url, opts)
	}
	return nil, fmt.Errorf("opening database: unknown scheme %q (sqlite:// or postgres://)", scheme)
}
