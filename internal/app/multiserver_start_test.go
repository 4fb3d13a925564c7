package app

import (
	"context"
	"crypto/rand"
	"sync"
	"testing"

	"github.com/wexio/webhooks/internal/config"
	"github.com/wexio/webhooks/internal/db/dbtest"
)

// TestServersStartingTogetherAllComeUp: three servers starting at the same
// moment on one empty database all migrate, bootstrap and start; one of
// them creates workspace Default and its key, once.
func TestServersStartingTogetherAllComeUp(t *testing.T) {
	t.Parallel()
	cfg := config.Default()
	cfg.DatabaseURL = dbtest.URL(t)
	cfg.SecretKey = make([]byte, 32)
	_, _ = rand.Read(cfg.SecretKey)
	const n = 3
	var wg sync.WaitGroup
	errs := make([]error, n)
	created := make([]bool, n)
	for i := range n {
		wg.Go(func() {
			ctx := context.Background()
			a, err := openApp(ctx, cfg, testLogger())
			if err != nil {
				errs[i] = err
				return
			}
			t.Cleanup(func() { _ = a.close() })
			if _, created[i], err = a.auth.Bootstrap(ctx, ""); err != nil {
				errs[i] = err
				return
			}
			errs[i] = a.start()
		})
	}
	wg.Wait()
	made := 0
	for i := range n {
		if errs[i] != nil {
			t.Errorf("server %d: %v", i, errs[i])
		}
		if created[i] {
			made++
		}
	}
	if made != 1 {
		t.Errorf("%d servers created the bootstrap key, want 1", made)
	}
}
