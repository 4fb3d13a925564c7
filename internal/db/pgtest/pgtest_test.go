package pgtest_test

import (
	"database/sql"
	"os"
	"slices"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/wexio/webhooks/internal/db/pgtest"
)

func TestURLGivesEachCallItsOwnEmptyDatabase(t *testing.T) {
	t.Parallel()
	a, b := pgtest.URL(t), pgtest.URL(t)
	if a == b {
		t.Fatalf("two calls gave the same URL %s", a)
	}
	dbA, dbB := open(t, a), open(t, b)
	if nameA, nameB := currentDatabase(t, dbA), currentDatabase(t, dbB); nameA == nameB {
		t.Fatalf("both URLs lead to database %s", nameA)
	}
	for _, db := range []*sql.DB{dbA, dbB} {
		if got := publicTables(t, db); len(got) != 0 {
			t.Fatalf("a new database has tables %v", got)
		}
	}
	if _, err := dbA.Exec("CREATE TABLE marker (id int)"); err != nil {
		t.Fatal(err)
	}
	if got := publicTables(t, dbA); !slices.Equal(got, []string{"marker"}) {
		t.Fatalf("tables after CREATE TABLE marker: %v", got)
	}
	if got := publicTables(t, dbB); len(got) != 0 {
		t.Fatalf("a table made in one database shows in the other: %v", got)
	}
}

func TestURLDropsTheDatabaseEvenWhileConnected(t *testing.T) {
	t.Parallel()
	var name string
	t.Run("use", func(st *testing.T) {
		// Closed only after the drop, like a store a test forgot to close.
		db := open(t, pgtest.URL(st))
		name = currentDatabase(st, db)
	})
	if name == "" {
		t.Skip("the subtest got no database")
	}
	server := open(t, os.Getenv(pgtest.EnvURL))
	var n int
	if err := server.QueryRow("SELECT count(*) FROM pg_database WHERE datname = $1", name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("database %s is still there after its test ended", name)
	}
}

func open(t *testing.T, url string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func currentDatabase(t *testing.T, db *sql.DB) string {
	t.Helper()
	var name string
	if err := db.QueryRow("SELECT current_database()").Scan(&name); err != nil {
		t.Fatal(err)
	}
	return name
}

func publicTables(t *testing.T, db *sql.DB) []string {
	t.Helper()
	rows, err := db.Query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return names
}
