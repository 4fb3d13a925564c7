package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/wexio/webhooks/internal/db/pgtest"
	"github.com/wexio/webhooks/internal/db/postgres"
	"github.com/wexio/webhooks/internal/store"
	"github.com/wexio/webhooks/internal/store/storetest"
)

// The PostgreSQL store passes the store conformance suite.
func TestConformance(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t testing.TB) *store.Store {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		st, err := postgres.Open(ctx, pgtest.URL(t), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return st
	})
}
