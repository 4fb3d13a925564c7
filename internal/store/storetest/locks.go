package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/internal/store"
)

// testSingleton: a singleton lock is had by one holder at a time, on one
// store or another on the same database (a second server); a different
// name is another lock; once released, it can be had again; of many
// taking it at once, exactly one has it.
func testSingleton(t *testing.T, open Open, again Again) {
	st := open(t)
	t.Cleanup(func() { _ = st.Close() })
	other := again(t, st)
	t.Cleanup(func() { _ = other.Close() })
	ctx := context.Background()
	take := func(s *store.Store, name string, want bool) func() {
		t.Helper()
		release, ok, err := s.Singleton(ctx, name)
		if err != nil || ok != want {
			t.Fatalf("Singleton(%q) = %v, %v; want ok %v", name, ok, err, want)
		}
		return release
	}
	release := take(st, "conformance", true)
	take(st, "conformance", false)
	take(other, "conformance", false)
	take(other, "conformance-other", true)()
	release()
	release() // twice is harmless
	take(other, "conformance", true)()

	var wg sync.WaitGroup
	var mu sync.Mutex
	var held []func()
	for i := range 20 {
		s := []*store.Store{st, other}[i%2]
		wg.Go(func() {
			r, ok, err := s.Singleton(ctx, "contended")
			if err != nil {
				t.Errorf("Singleton: %v", err)
			}
			if ok {
				mu.Lock()
				held = append(held, r)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(held) != 1 {
		t.Fatalf("%d of 20 concurrent takers have the lock, want 1", len(held))
	}
	held[0]()
}

// testTryLockTx: a transaction takes a lock, and may again; while it runs,
// another server's transaction cannot, where transactions run side by
// side (RowLocks; SQLite runs one at a time), but takes another name;
// once the holder committed, the lock can be had.
func testTryLockTx(t *testing.T, open Open, again Again) {
	st := open(t)
	t.Cleanup(func() { _ = st.Close() })
	other := again(t, st)
	t.Cleanup(func() { _ = other.Close() })
	ctx := context.Background()
	take := func(s *store.Store, name string) (ok bool, err error) {
		err = s.Writer.Do(ctx, func(ctx context.Context, tx *ent.Tx, _ *store.Hooks) error {
			ok, err = s.TryLockTx(ctx, tx.Client(), name)
			return err
		})
		return ok, err
	}
	err := st.Writer.Do(ctx, func(ctx context.Context, tx *ent.Tx, _ *store.Hooks) error {
		for range 2 {
			if ok, err := st.TryLockTx(ctx, tx.Client(), "tx-lock"); err != nil || !ok {
				return fmt.Errorf("the holder's transaction: TryLockTx = %v, %w", ok, err)
			}
		}
		if !st.Caps.RowLocks {
			return nil
		}
		if ok, err := take(other, "tx-lock"); err != nil || ok {
			return fmt.Errorf("another server's transaction: TryLockTx of a held lock = %v, %w", ok, err)
		}
		if ok, err := take(other, "tx-lock-other"); err != nil || !ok {
			return fmt.Errorf("another server's transaction: TryLockTx of another name = %v, %w", ok, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := take(other, "tx-lock"); err != nil || !ok {
		t.Fatalf("after the holder committed: TryLockTx = %v, %v", ok, err)
	}
}
