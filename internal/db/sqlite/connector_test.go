package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/wexio/webhooks/internal/store"
)

// TestConnectionsKeepTemporaryStorageInMemory: the writer and every
// reader open with temp_store = MEMORY (2), so no statement journal or
// sort spills to a file.
func TestConnectionsKeepTemporaryStorageInMemory(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(t.TempDir(), "t.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if got := pragma(t, st.Write, "temp_store"); got != 2 {
		t.Errorf("writer: temp_store = %d, want 2 (MEMORY)", got)
	}
	// Every connection of the read pool, held at once so that each is a
	// different one.
	for i := range Readers {
		tx, err := st.Read.Tx(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = tx.Rollback() }()
		if got := pragma(t, tx, "temp_store"); got != 2 {
			t.Errorf("reader %d: temp_store = %d, want 2 (MEMORY)", i, got)
		}
	}
}

// pragma reads an integer pragma through q.
func pragma(t *testing.T, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, name string) int {
	t.Helper()
	rows, err := q.QueryContext(context.Background(), "PRAGMA "+name)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := -1
	for rows.Next() {
		if err := rows.Scan(&got); err != nil {
			t.Fatal(err)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return got
}
