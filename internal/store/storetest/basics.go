package storetest

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/internal/store"
	"github.com/wexio/webhooks/internal/testkit"
)

// testStore: a store says what it is, answers Ping while open and not
// after Close.
func testStore(t *testing.T, open Open) {
	st := open(t)
	if st.Dialect == "" || st.Write == nil || st.Read == nil || st.Writer == nil || st.Notifier == nil || st.Driver == nil {
		t.Fatalf("store not filled in: %+v", st)
	}
	if err := st.Ping(context.Background()); err != nil {
		t.Fatalf("Ping on an open store: %v", err)
	}
	if err := st.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := st.Ping(context.Background()); err == nil {
		t.Fatal("Ping answered after Close")
	}
}

// testWriter: Do returns once the job's rows are committed (the read
// client sees them); a failing job's writes roll back alone and its error
// comes back; after-commit hooks run only for jobs that committed, after
// the commit; concurrent callers all commit.
func testWriter(t *testing.T, open Open) {
	f := newFixture(t, open)
	w, read := f.st.Writer, f.st.Read
	var sawRow atomic.Bool
	err := w.Do(f.ctx, func(ctx context.Context, tx *ent.Tx, h *store.Hooks) error {
		if err := tx.Event.Create().SetType("a").SetData([]byte(`{}`)).Exec(ctx); err != nil {
			return err
		}
		h.AfterCommit(func() {
			// Committed before the hook runs: the read pool sees it.
			sawRow.Store(read.Event.Query().CountX(f.ctx) == 2)
		})
		return nil
	})
	if err != nil || !sawRow.Load() {
		t.Fatalf("Do = %v; the hook saw the committed row: %v", err, sawRow.Load())
	}
	boom := errors.New("boom")
	var ranHook atomic.Bool
	err = w.Do(f.ctx, func(ctx context.Context, tx *ent.Tx, h *store.Hooks) error {
		if err := tx.Event.Create().SetType("rolled.back").SetData([]byte(`{}`)).Exec(ctx); err != nil {
			return err
		}
		h.AfterCommit(func() { ranHook.Store(true) })
		return boom
	})
	if !errors.Is(err, boom) || ranHook.Load() {
		t.Fatalf("failing job: Do = %v, hook ran = %v", err, ranHook.Load())
	}
	if n := read.Event.Query().CountX(f.ctx); n != 2 {
		t.Fatalf("%d events after a failed job, want 2", n)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for range 100 {
		wg.Go(func() {
			errs <- w.Do(f.ctx, func(ctx context.Context, tx *ent.Tx, _ *store.Hooks) error {
				return tx.Event.Create().SetType("c").SetData([]byte(`{}`)).Exec(ctx)
			})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("concurrent job: %v", err)
		}
	}
	if n := read.Event.Query().CountX(f.ctx); n != 102 {
		t.Fatalf("%d events after 100 concurrent jobs, want 102", n)
	}
}

// testNotifier: a listener hears its topic's notifications with their
// payload, not another topic's, and nothing once stopped.
func testNotifier(t *testing.T, open Open) {
	st := open(t)
	t.Cleanup(func() { _ = st.Close() })
	got := make(chan string, 10)
	stop := st.Notifier.Listen(store.Config, func(p string) { got <- p })
	st.Notifier.Notify(store.Deliveries, "other topic")
	st.Notifier.Notify(store.Config, "wh_1")
	select {
	case p := <-got:
		if p != "wh_1" {
			t.Fatalf("payload %q, want wh_1", p)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no notification within 10 s")
	}
	stop()
	st.Notifier.Notify(store.Config, "after stop")
	// A notification to a second listener, sent after the first, proves
	// the first had its chance: notifications of one topic keep order.
	witness := make(chan string, 1)
	defer st.Notifier.Listen(store.Config, func(p string) { witness <- p })()
	st.Notifier.Notify(store.Config, "witness")
	testkit.Eventually(t, "the witness notification", func() bool { return len(witness) == 1 })
	if len(got) != 0 {
		t.Fatalf("a stopped listener heard %q", <-got)
	}
}
