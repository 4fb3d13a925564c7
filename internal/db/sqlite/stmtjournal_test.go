package sqlite

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/wexio/webhooks/internal/store"
)

// TestStatementJournalStaysInMemory: a statement in a transaction whose
// journal outgrows SQLite's default 64 KiB keeps it in memory, not in a
// temporary file, up to StatementJournalSpill.
func TestStatementJournalStaysInMemory(t *testing.T) {
	if statementJournalSpillResult != 0 {
		t.Fatalf("SQLite refused the statement journal threshold: result code %d", statementJournalSpillResult)
	}
	if runtime.GOOS != "linux" {
		t.Skip("the temporary file is looked for in /proc/self/fd, on Linux only")
	}
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(t.TempDir(), "j.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// 300 wide unique keys fill about 40 index pages; 200 more, between
	// them, change nearly every one of those pages in one multi-row
	// INSERT, which may fail its UNIQUE constraint and so journals them:
	// about 160 KiB.
	key := func(i int) string { return strings.Repeat("k", 400) + string(rune('a'+i%26)) + strings.Repeat("x", i) }
	if _, err := st.Write.ExecContext(ctx, `CREATE TABLE journal_probe (id INTEGER PRIMARY KEY, k TEXT NOT NULL UNIQUE)`); err != nil {
		t.Fatal(err)
	}
	insert := func(exec func(string, ...any) error, from, step, n int) error {
		q := "INSERT INTO journal_probe (k) VALUES " + strings.TrimSuffix(strings.Repeat("(?),", n), ",")
		args := make([]any, n)
		for i := range args {
			args[i] = key(from + i*step)
		}
		return exec(q, args...)
	}
	plain := func(q string, args ...any) error { _, err := st.Write.ExecContext(ctx, q, args...); return err }
	if err := insert(plain, 0, 2, 300); err != nil {
		t.Fatal(err)
	}
	tx, err := st.Write.Tx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit, a no-op
	inTx := func(q string, args ...any) error { _, err := tx.ExecContext(ctx, q, args...); return err }
	if err := insert(inTx, 1, 2, 200); err != nil {
		t.Fatal(err)
	}
	// SQLite's temporary files have no name (O_TMPFILE, or etilqs_*
	// unlinked at once): the process holds them as deleted files. The
	// sub-journal stays open until the transaction ends.
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	for _, fd := range fds {
		target, err := os.Readlink(filepath.Join("/proc/self/fd", fd.Name()))
		if err == nil && (strings.HasSuffix(target, " (deleted)") || strings.Contains(target, "etilqs_")) {
			t.Fatalf("the statement's journal went to a temporary file (%s)", target)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}
