package app

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"entgo.io/ent/dialect"

	"github.com/wexio/webhooks/internal/db/dbtest"
)

// exec runs a statement written with ? placeholders on the test's
// database, whichever it is (PostgreSQL numbers its placeholders).
func (ta *testApp) exec(t testing.TB, query string, args ...any) {
	t.Helper()
	query = dbtest.Rebind(ta.db.Dialect, query)
	if _, err := ta.db.Write.ExecContext(context.Background(), query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// storedBytes is everything the database keeps, as bytes to search: the
// SQLite file and its WAL, or every row of every table as PostgreSQL
// writes it as text.
func (ta *testApp) storedBytes(t testing.TB) []byte {
	t.Helper()
	ctx := context.Background()
	if ta.db.Dialect != dialect.Postgres {
		var out []byte
		path := ta.cfg.SQLitePath()
		for _, suffix := range []string{"", "-wal"} {
			b, err := os.ReadFile(filepath.Clean(path + suffix))
			if err != nil && suffix == "" {
				t.Fatal(err)
			}
			out = append(out, b...)
		}
		return out
	}
	rows, err := ta.db.Read.QueryContext(ctx, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	_ = rows.Close()
	var out []byte
	for _, table := range tables {
		rows, err := ta.db.Read.QueryContext(ctx, `SELECT t::text FROM "`+table+`" t`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var row string
			if err := rows.Scan(&row); err != nil {
				t.Fatal(err)
			}
			out = append(out, row...)
		}
		_ = rows.Close()
	}
	return out
}
