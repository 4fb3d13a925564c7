package dbtest

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/internal/db/sqlite"
	"github.com/wexio/webhooks/internal/store"
)

// recorder is an ent driver that keeps every statement it runs.
type recorder struct {
	*entsql.Driver
	mu      sync.Mutex
	queries []query
}

type query struct {
	sql  string
	args []any
}

func (r *recorder) Query(ctx context.Context, q string, args, v any) error {
	r.keep(q, args)
	return r.Driver.Query(ctx, q, args, v)
}

func (r *recorder) Exec(ctx context.Context, q string, args, v any) error {
	r.keep(q, args)
	return r.Driver.Exec(ctx, q, args, v)
}

// QueryContext and ExecContext record the statements sent as written
// (ent's sql/execquery), not built by ent's queries.
func (r *recorder) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	r.keep(q, args)
	return r.Driver.QueryContext(ctx, q, args...)
}

func (r *recorder) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	r.keep(q, args)
	return r.Driver.ExecContext(ctx, q, args...)
}

func (r *recorder) keep(q string, args any) {
	a, _ := args.([]any)
	r.mu.Lock()
	r.queries = append(r.queries, query{sql: q, args: a})
	r.mu.Unlock()
}

// queryPlans runs fn with a client over a new database (made by sqlite.Open in
// t.TempDir()) that records every query, and returns the EXPLAIN QUERY PLAN
// of each, one string per query, its lines joined by newlines.
func queryPlans(t testing.TB, fn func(c *ent.Client)) []string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "plans.db")
	d, err := sqlite.Open(context.Background(), path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	sqlDB, err := sql.Open("sqlite3", sqlite.DSN(path, false))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sqlDB.Close() })
	rec := &recorder{Driver: entsql.OpenDB(dialect.SQLite, sqlDB)}
	fn(ent.NewClient(ent.Driver(rec)))
	plans := make([]string, len(rec.queries))
	for i, q := range rec.queries {
		rows, err := sqlDB.Query("EXPLAIN QUERY PLAN "+q.sql, q.args...)
		if err != nil {
			t.Fatalf("explaining %s: %v", q.sql, err)
		}
		var lines []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			lines = append(lines, detail)
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("explaining %s: %v", q.sql, err)
		}
		rows.Close()
		plans[i] = strings.Join(lines, "\n")
	}
	return plans
}

// RequireIndexed fails t unless fn sends want queries and SQLite plans
// each as a search of table through index, without sorting: the queries a
// hot path must never turn into scans.
func RequireIndexed(t testing.TB, want int, table, index string, fn func(c *ent.Client)) {
	t.Helper()
	requirePlans(t, want, fn, "a search of "+table+" through "+index, func(p string) bool {
		return strings.HasPrefix(p, "SEARCH "+table+" USING INDEX "+index+" ")
	})
}

// RequirePartialIndex fails t unless fn sends want queries and SQLite
// plans each as a read of table through partial index, searched or
// scanned, without sorting: a scan of a partial index reads only the rows
// it holds, however many the table has.
func RequirePartialIndex(t testing.TB, want int, table, index string, fn func(c *ent.Client)) {
	t.Helper()
	scan := "SCAN " + table + " USING INDEX " + index
	requirePlans(t, want, fn, "a read of "+table+" through "+index, func(p string) bool {
		return strings.HasPrefix(p, "SEARCH "+table+" USING INDEX "+index+" ") || p == scan || strings.HasPrefix(p, scan+"\n")
	})
}

// requirePlans fails t unless fn sends want queries, each planned as ok
// says (what, in words) and without a sort.
func requirePlans(t testing.TB, want int, fn func(c *ent.Client), what string, ok func(plan string) bool) {
	t.Helper()
	plans := queryPlans(t, fn)
	if len(plans) != want {
		t.Fatalf("%d queries, want %d", len(plans), want)
	}
	for _, p := range plans {
		if !ok(p) || strings.Contains(p, "TEMP B-TREE") {
			t.Errorf("query plan, want %s without a sort:\n%s", what, p)
		}
	}
}
