package dbtest

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wexio/webhooks/internal/db"
	"github.com/wexio/webhooks/internal/db/pgtest"
	"github.com/wexio/webhooks/internal/store"
)

// EnvBackend names the backend a test process runs its tests on:
// "postgres", or anything else for SQLite. Main sets it for the PostgreSQL
// half of a package's tests.
const EnvBackend = "WEXIO_TEST_BACKEND"

// Postgres reports whether this test process runs on PostgreSQL.
func Postgres() bool { return os.Getenv(EnvBackend) == "postgres" }

// URL returns the URL of a new, empty database of the backend under test,
// gone when the test ends: a file in t.TempDir(), or a database of its own
// on the PostgreSQL server pgtest.EnvURL names.
func URL(t testing.TB) string {
	t.Helper()
	if Postgres() {
		return pgtest.URL(t)
	}
	return "sqlite://" + filepath.Join(t.TempDir(), "t.db")
}

// Open opens a new, empty store of the backend under test, closed when
// the test ends.
func Open(t testing.TB, migrations ...store.Migration) *store.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := db.Open(ctx, URL(t), store.Options{Migrations: migrations})
	if err != nil {
		t.Fatalf("opening the test store: %v", err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

// SQLiteOnly skips a test of what only the SQLite store has (a file, its
// query plans) in the PostgreSQL half.
func SQLiteOnly(t testing.TB) {
	t.Helper()
	if Postgres() {
		t.Skip("SQLite only")
	}
}

// Main runs a package's tests on SQLite, then all of them again on
// PostgreSQL, in a child process of the same test binary with EnvBackend
// set, so that every test that opens its database through URL or Open
// holds on both. Without a PostgreSQL server (pgtest.EnvURL) the second
// half is skipped with one line saying how to enable it, or fails when
// pgtest.EnvRequire is set, as in CI. Fuzzing and benchmarks run on
// SQLite only unless EnvBackend says otherwise.
func Main(m *testing.M) int {
	code := m.Run()
	if Postgres() || flagSet("test.fuzz") || flagSet("test.bench") {
		return code
	}
	switch base, err := pgtest.Server(); {
	case err != nil:
		fmt.Println("FAIL: the PostgreSQL half:", err)
		return 1
	case base == "":
		fmt.Println("PostgreSQL half skipped: set " + pgtest.EnvURL + " (scripts/pg-test-cluster start prints it)")
		return code
	}
	var args []string
	for _, a := range os.Args[1:] {
		// The go command reads these files from the first half's run.
		if !strings.HasPrefix(a, "-test.testlogfile") && !strings.HasPrefix(a, "-test.coverprofile") {
			args = append(args, a)
		}
	}
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), EnvBackend+"=postgres")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Println("FAIL: the PostgreSQL half:", err)
		return max(code, 1)
	}
	return code
}

func flagSet(name string) bool {
	f := flag.Lookup(name)
	return f != nil && f.Value.String() != ""
}
