package postgres_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/wexio/webhooks/internal/db/pgtest"
	"github.com/wexio/webhooks/internal/db/postgres"
	"github.com/wexio/webhooks/internal/store"
	"github.com/wexio/webhooks/internal/store/storetest"
)

// The PostgreSQL store passes the store conformance suite, with
// heartbeats short enough for the takeover to come within the test.
func TestConformance(t *testing.T) {
	t.Parallel()
	var urls sync.Map // *store.Store → its database
	openAt := func(t testing.TB, url string) *store.Store {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		st, err := postgres.Open(ctx, url, store.Options{Heartbeat: 50 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		urls.Store(st, url)
		return st
	}
	storetest.Run(t,
		func(t testing.TB) *store.Store { return openAt(t, pgtest.URL(t)) },
		func(t testing.TB, st *store.Store) *store.Store {
			url, _ := urls.Load(st)
			return openAt(t, url.(string))
		})
}
