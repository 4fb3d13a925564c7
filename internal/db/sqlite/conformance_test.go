package sqlite_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"github.com/wexio/webhooks/internal/db/sqlite"
	"github.com/wexio/webhooks/internal/store"
	"github.com/wexio/webhooks/internal/store/storetest"
)

// The SQLite store passes the store conformance suite.
func TestConformance(t *testing.T) {
	t.Parallel()
	var paths sync.Map // *store.Store → its file
	openAt := func(t testing.TB, path string) *store.Store {
		st, err := sqlite.Open(context.Background(), path, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		paths.Store(st, path)
		return st
	}
	storetest.Run(t,
		func(t testing.TB) *store.Store { return openAt(t, filepath.Join(t.TempDir(), "c.db")) },
		func(t testing.TB, st *store.Store) *store.Store {
			path, _ := paths.Load(st)
			return openAt(t, path.(string))
		})
}
