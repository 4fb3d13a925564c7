package store_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/wexio/webhooks/internal/store"
)

// TestClassify: the errors of a database that cannot be reached, or went
// away, are IsUnavailable however they are wrapped; those of a conflict
// PostgreSQL resolved by giving up the work are IsConflict; the errors of
// work the database refused, or of the caller, are neither.
func TestClassify(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// Nothing serves port 1 on loopback: pgx's own connect error, a
	// refused dial under it.
	_, connectErr := pgx.Connect(ctx, "postgres://wexio@127.0.0.1:1/wexio?sslmode=disable")
	_, dialErr := (&net.Dialer{}).DialContext(ctx, "tcp", "127.0.0.1:1")
	if connectErr == nil || dialErr == nil {
		t.Skip("something listens on 127.0.0.1:1")
	}
	state := func(code string) error { return &pgconn.PgError{Severity: "FATAL", Code: code} }
	for _, tc := range []struct {
		name                  string
		err                   error
		unavailable, conflict bool
	}{
		{"pgx connect refused", connectErr, true, false},
		{"dial refused", dialErr, true, false},
		{"wrapped twice", fmt.Errorf("committing batch: %w", fmt.Errorf("starting batch: %w", connectErr)), true, false},
		{"joined, as a failed rollback reports", errors.Join(errors.New("rolling back"), sql.ErrConnDone), true, false},
		{"bad connection", fmt.Errorf("begin: %w", driver.ErrBadConn), true, false},
		{"admin shutdown", state("57P01"), true, false},
		{"starting up", state("57P03"), true, false},
		{"connection exception", state("08006"), true, false},
		{"too many connections", state("53300"), true, false},
		{"deadlock", fmt.Errorf("writing log row: %w", state("40P01")), false, true},
		{"serialization failure", state("40001"), false, true},
		{"unique violation", state("23505"), false, false},
		{"no rows", sql.ErrNoRows, false, false},
		{"caller gave up", context.Canceled, false, false},
		{"nil", nil, false, false},
	} {
		if got := store.IsUnavailable(tc.err); got != tc.unavailable {
			t.Errorf("%s: IsUnavailable(%v) = %v", tc.name, tc.err, got)
		}
		if got := store.IsConflict(tc.err); got != tc.conflict {
			t.Errorf("%s: IsConflict(%v) = %v", tc.name, tc.err, got)
		}
	}
}
