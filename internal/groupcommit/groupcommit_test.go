package groupcommit

import (
	"context"
	"database/sql"
	"slices"

	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	_ "github.com/mattn/go-sqlite3"

	"github.com/wexio/webhooks/ent"
	_ "github.com/wexio/webhooks/ent/runtime" // privacy policies and hooks
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/store"
)

// testDB is a SQLite file opened as the SQLite store opens it (which
// cannot be imported here: it is built on this package).
type testDB struct{ Write, Read *ent.Client }

func openDB(t testing.TB) *testDB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "g.db")
	client := func(writer bool) *ent.Client {
		dsn := "file:" + path + "?_journal_mode=WAL&_busy_timeout=10000&_foreign_keys=on"
		if writer {
			dsn += "&_txlock=immediate"
		}
		db, err := sql.Open("sqlite3", dsn)
		if err != nil {
			t.Fatal(err)
		}
		if writer {
			db.SetMaxOpenConns(1)
		}
		c := ent.NewClient(ent.Driver(entsql.OpenDB(dialect.SQLite, db)))
		t.Cleanup(func() { _ = c.Close() })
		return c
	}
	d := &testDB{Write: client(true), Read: client(false)}
	// ent's migrator rewrites package-level table descriptors while it
	// runs (see the SQLite store's migrateMu): parallel tests take turns.
	migrateMu.Lock()
	defer migrateMu.Unlock()
	if err := d.Write.Schema.Create(context.Background()); err != nil {
		t.Fatal(err)
	}
	return d
}

var migrateMu sync.Mutex

func open(t testing.TB) (*testDB, *Writer) {
	t.Helper()
	d := openDB(t)
	w := New(d.Write, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	t.Cleanup(w.Close)
	return d, w
}

// A failing job is rolled back alone; the others in its batch commit, and
// only theirs after-commit hooks run.
func TestFailingJobIsIsolated(t *testing.T) {
	t.Parallel()
	d, w := open(t)
	ctx := auth.System(context.Background())
	var wg sync.WaitGroup
	var hooks atomic.Int64
	errs := make([]error, 200)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = w.Do(ctx, func(ctx context.Context, tx *ent.Tx, h *store.Hooks) error {
				// Every tenth job creates a duplicate name and fails after writing.
				name := fmt.Sprintf("ws-%d", i)
				if err := tx.Workspace.Create().SetName(name).Exec(ctx); err != nil {
					return err
				}
				h.AfterCommit(func() { hooks.Add(1) })
				if i%10 == 0 {
					return tx.Workspace.Create().SetName(name).Exec(ctx)
				}
				return nil
			})
		}()
	}
	wg.Wait()
	failed := 0
	for i, err := range errs {
		if (i%10 == 0) != (err != nil) {
			t.Fatalf("job %d: err = %v", i, err)
		}
		if err != nil {
			failed++
			if !ent.IsConstraintError(err) {
				t.Fatalf("job %d: err = %v, want the job's own constraint error", i, err)
			}
		}
	}
	n, err := d.Read.Workspace.Query().Count(ctx)
	if err != nil || n != 200-failed {
		t.Fatalf("committed %d workspaces (%v), want %d", n, err, 200-failed)
	}
	if hooks.Load() != int64(200-failed) {
		t.Fatalf("%d hooks ran, want %d", hooks.Load(), 200-failed)
	}
}

// TestDrainCommitsWhatWasQueued: what is still queued when Close stops the
// loop is committed, more than one batch of it, and every caller answered.
// The loop is not started: select picks at random between queued work and
// Close, so only calling drain directly reaches it every time.
func TestDrainCommitsWhatWasQueued(t *testing.T) {
	t.Parallel()
	d := openDB(t)
	n := MaxBatch + 10
	w := &Writer{client: d.Write, log: slog.New(slog.DiscardHandler), reqs: make(chan *request, n)}
	ctx := auth.System(context.Background())
	reqs := make([]*request, n)
	for i := range reqs {
		reqs[i] = &request{ctx: ctx, done: make(chan error, 1), job: func(ctx context.Context, tx *ent.Tx, _ *store.Hooks) error {
			return tx.Workspace.Create().SetName(fmt.Sprintf("w%d", i)).Exec(ctx)
		}}
		w.reqs <- reqs[i]
	}
	w.drain()
	for i, r := range reqs {
		select {
		case err := <-r.done:
			if err != nil {
				t.Fatalf("job %d: %v", i, err)
			}
		default:
			t.Fatalf("job %d was not answered by the drain", i)
		}
	}
	if c, _ := d.Read.Workspace.Query().Count(ctx); c != n {
		t.Fatalf("%d workspaces committed, want %d", c, n)
	}
}

func TestCloseRefusesMore(t *testing.T) {
	t.Parallel()
	d, w := open(t)
	ctx := auth.System(context.Background())
	if err := w.Do(ctx, func(ctx context.Context, tx *ent.Tx, _ *store.Hooks) error {
		return tx.Workspace.Create().SetName("a").Exec(ctx)
	}); err != nil {
		t.Fatal(err)
	}
	w.Close()
	w.Close() // twice is fine
	if err := w.Do(ctx, func(context.Context, *ent.Tx, *store.Hooks) error { return nil }); !errors.Is(err, ErrClosed) {
		t.Fatalf("after Close: %v", err)
	}
	if n, _ := d.Read.Workspace.Query().Count(ctx); n != 1 {
		t.Fatalf("count = %d", n)
	}
}

func TestPanickingJobFailsAlone(t *testing.T) {
	t.Parallel()
	_, w := open(t)
	ctx := auth.System(context.Background())
	err := w.Do(ctx, func(context.Context, *ent.Tx, *store.Hooks) error { panic("boom") })
	if err == nil {
		t.Fatal("a panicking job succeeded")
	}
	if err := w.Do(ctx, func(ctx context.Context, tx *ent.Tx, _ *store.Hooks) error {
		return tx.Workspace.Create().SetName("after").Exec(ctx)
	}); err != nil {
		t.Fatalf("the writer did not survive a panic: %v", err)
	}
}

func BenchmarkInsert(b *testing.B) {
	d, w := open(b)
	ctx := auth.System(context.Background())
	var i atomic.Int64
	b.SetParallelism(32)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			n := i.Add(1)
			if err := w.Do(ctx, func(ctx context.Context, tx *ent.Tx, _ *store.Hooks) error {
				return tx.Workspace.Create().SetName(fmt.Sprint("w", n)).Exec(ctx)
			}); err != nil {
				b.Fatal(err)
			}
		}
	})
	_ = d
}

// TestBatchRunsOnceUnlessAJobFails: a batch whose jobs all succeed runs
// each once, in one transaction without savepoints; one with a failing
// job runs again with a savepoint per job, so each other job runs twice,
// commits once, and its hooks run once.
func TestBatchRunsOnceUnlessAJobFails(t *testing.T) {
	t.Parallel()
	d := openDB(t)
	w := &Writer{client: d.Write, log: slog.New(slog.DiscardHandler)}
	ctx := auth.System(context.Background())
	batch := func(prefix string, fail int) ([]*request, []int, *atomic.Int64) {
		runs := make([]int, 5)
		hooks := &atomic.Int64{}
		reqs := make([]*request, len(runs))
		for i := range reqs {
			reqs[i] = &request{ctx: ctx, done: make(chan error, 1), job: func(ctx context.Context, tx *ent.Tx, h *store.Hooks) error {
				runs[i]++
				h.AfterCommit(func() { hooks.Add(1) })
				if i == fail {
					return errors.New("this job fails")
				}
				return tx.Workspace.Create().SetName(fmt.Sprintf("%s%d", prefix, i)).Exec(ctx)
			}}
		}
		return reqs, runs, hooks
	}
	reqs, runs, hooks := batch("ok", -1)
	w.run(reqs)
	if !slices.Equal(runs, []int{1, 1, 1, 1, 1}) || hooks.Load() != 5 {
		t.Fatalf("all succeed: runs %v, hooks %d", runs, hooks.Load())
	}
	reqs, runs, hooks = batch("some", 2)
	w.run(reqs)
	if !slices.Equal(runs, []int{2, 2, 2, 1, 1}) || hooks.Load() != 4 {
		t.Fatalf("one fails: runs %v, hooks %d; want the jobs before it run twice, 4 hooks", runs, hooks.Load())
	}
	for i, r := range reqs {
		if err := <-r.done; (err != nil) != (i == 2) {
			t.Fatalf("job %d: %v", i, err)
		}
	}
	if c, _ := d.Read.Workspace.Query().Count(ctx); c != 9 {
		t.Fatalf("%d workspaces committed, want 9", c)
	}
}
