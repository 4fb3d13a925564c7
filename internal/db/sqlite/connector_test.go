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
	tempStore := func(q interface {
		QueryContext(context.Context, string, ...any) (*sql.Rows, error)
	}) int {
		rows, err := q.QueryContext(ctx, "PRAGMA temp_store")
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
		return got
	}
	if got := tempStore(st.Write); got != 2 {
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
		if got := tempStore(tx); got != 2 {
			t.Errorf("reader %d: temp_store = %d, want 2 (MEMORY)", i, got)
		}
	}
}
