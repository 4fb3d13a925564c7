package groupcommit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/store"
)

// items is a table of names whose inserter counts its statements.
type items struct {
	ins        *store.Inserter
	mu         sync.Mutex
	statements int
}

func newItems(t *testing.T, d *testDB) *items {
	t.Helper()
	if _, err := d.Write.ExecContext(context.Background(), "CREATE TABLE items (name TEXT PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	it := &items{}
	it.ins = &store.Inserter{Name: "items", Insert: func(ctx context.Context, db store.Execer, rows []any) error {
		it.mu.Lock()
		it.statements++
		it.mu.Unlock()
		args := make([]any, len(rows))
		for i, r := range rows {
			args[i] = r
		}
		_, err := db.ExecContext(ctx, "INSERT INTO items (name) VALUES "+strings.Repeat("(?),", len(rows)-1)+"(?)", args...)
		return err
	}}
	return it
}

func (it *items) names(t *testing.T, d *testDB) []string {
	t.Helper()
	rows, err := d.Read.QueryContext(context.Background(), "SELECT name FROM items ORDER BY name")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	return out
}

// TestInsertsOfABatchAreOneStatement: a batch of Inserts alone is one
// statement; should it fail (a duplicate), each insert runs alone and
// only the duplicate fails, its after-commit work not run.
func TestInsertsOfABatchAreOneStatement(t *testing.T) {
	t.Parallel()
	d := openDB(t)
	it := newItems(t, d)
	w := &Writer{client: d.Write, log: slog.New(slog.DiscardHandler)}
	ctx := auth.System(context.Background())
	batch := func(names ...string) ([]*request, *[]string) {
		var after []string
		reqs := make([]*request, len(names))
		for i, n := range names {
			reqs[i] = &request{ctx: ctx, done: make(chan error, 1), ins: it.ins, row: n,
				after: func() { after = append(after, n) }}
			reqs[i].job = func(_ context.Context, _ *ent.Tx, hk *store.Hooks) error {
				hk.InsertLater(it.ins, n)
				hk.AfterCommit(reqs[i].after)
				return nil
			}
		}
		return reqs, &after
	}
	reqs, after := batch("a", "b", "c")
	w.run(reqs)
	if it.statements != 1 || !slices.Equal(*after, []string{"a", "b", "c"}) {
		t.Fatalf("%d statements, after-commit %v; want 1 and a, b, c", it.statements, *after)
	}
	reqs, after = batch("d", "b", "e")
	w.run(reqs)
	for i, r := range reqs {
		if err := <-r.done; (err != nil) != (i == 1) {
			t.Fatalf("insert %d: %v", i, err)
		}
	}
	if got := it.names(t, d); !slices.Equal(got, []string{"a", "b", "c", "d", "e"}) {
		t.Fatalf("items %v", got)
	}
	if !slices.Equal(*after, []string{"d", "e"}) {
		t.Fatalf("after-commit ran for %v, want d and e", *after)
	}
}

// TestRowsQueuedByJobsGoInTogether: the rows jobs leave to the end of
// their batch are one statement for the batch, and commit with the jobs'
// other writes; in a batch run again for a failing job, the failing job's
// rows go with it and the others' commit once.
func TestRowsQueuedByJobsGoInTogether(t *testing.T) {
	t.Parallel()
	d := openDB(t)
	it := newItems(t, d)
	w := &Writer{client: d.Write, log: slog.New(slog.DiscardHandler)}
	ctx := auth.System(context.Background())
	batch := func(prefix string, fail int) []*request {
		reqs := make([]*request, 4)
		for i := range reqs {
			reqs[i] = &request{ctx: ctx, done: make(chan error, 1), job: func(ctx context.Context, tx *ent.Tx, hk *store.Hooks) error {
				name := fmt.Sprintf("%s%d", prefix, i)
				hk.InsertLater(it.ins, name)
				if err := tx.Workspace.Create().SetName(name).Exec(ctx); err != nil {
					return err
				}
				if i == fail {
					return errors.New("this job fails")
				}
				return nil
			}}
		}
		return reqs
	}
	w.run(batch("ok", -1))
	if it.statements != 1 {
		t.Fatalf("%d statements for a batch's rows, want 1", it.statements)
	}
	reqs := batch("some", 1)
	w.run(reqs)
	for i, r := range reqs {
		if err := <-r.done; (err != nil) != (i == 1) {
			t.Fatalf("job %d: %v", i, err)
		}
	}
	want := []string{"ok0", "ok1", "ok2", "ok3", "some0", "some2", "some3"}
	if got := it.names(t, d); !slices.Equal(got, want) {
		t.Fatalf("items %v, want %v", got, want)
	}
	ws, err := d.Read.Workspace.Query().Count(ctx)
	if err != nil || ws != len(want) {
		t.Fatalf("%d workspaces (%v), want %d: a job's rows commit with its writes", ws, err, len(want))
	}
}

// TestJobsAndInsertsTogether: jobs and inserts submitted at once, batched
// as they come, are each committed once and answered, and the after-commit
// work runs once per success.
func TestJobsAndInsertsTogether(t *testing.T) {
	t.Parallel()
	d := openDB(t)
	it := newItems(t, d)
	w := New(d.Write, slog.New(slog.DiscardHandler), nil)
	t.Cleanup(w.Close)
	ctx := auth.System(context.Background())
	var mu sync.Mutex
	var after []string
	var wg sync.WaitGroup
	for i := range 300 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("n%03d", i)
			done := func() { mu.Lock(); after = append(after, name); mu.Unlock() }
			var err error
			if i%3 == 0 {
				err = w.Do(ctx, func(_ context.Context, _ *ent.Tx, hk *store.Hooks) error {
					hk.InsertLater(it.ins, name)
					hk.AfterCommit(done)
					return nil
				})
			} else {
				err = w.Insert(ctx, it.ins, name, done)
			}
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	got := it.names(t, d)
	sort.Strings(after)
	if len(got) != 300 || !slices.Equal(got, after) {
		t.Fatalf("%d items committed, after-commit for %d", len(got), len(after))
	}
}

// TestGather: what waits is taken up to max, without waiting for more,
// and a closed channel ends the batch.
func TestGather(t *testing.T) {
	t.Parallel()
	in := make(chan int, 5)
	for i := range 5 {
		in <- i
	}
	if got := Gather([]int{-1}, in, 3); !slices.Equal(got, []int{-1, 0, 1}) {
		t.Fatalf("Gather up to 3 = %v", got)
	}
	if got := Gather(nil, in, 10); !slices.Equal(got, []int{2, 3, 4}) {
		t.Fatalf("Gather of what waits = %v", got)
	}
	close(in)
	if got := Gather([]int{7}, in, 10); !slices.Equal(got, []int{7}) {
		t.Fatalf("Gather from a closed channel = %v", got)
	}
}
