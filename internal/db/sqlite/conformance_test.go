package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/wexio/webhooks/internal/db/sqlite"
	"github.com/wexio/webhooks/internal/store"
	"github.com/wexio/webhooks/internal/store/storetest"
)

// The SQLite store passes the store conformance suite.
func TestConformance(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t testing.TB) *store.Store {
		st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "c.db"), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return st
	})
}
