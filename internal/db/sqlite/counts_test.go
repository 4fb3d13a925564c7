package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/wexio/webhooks/internal/store"
)

// TestLogCountsTriggersKeptOrReplaced: a start over an up-to-date database
// changes no schema (a CLI command beside a running server must not), and
// a start over triggers of another version replaces them.
func TestLogCountsTriggersKeptOrReplaced(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "t.db")
	open := func() *store.Store {
		t.Helper()
		d, err := Open(ctx, path, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	version := func(d *store.Store) (v int) {
		t.Helper()
		rows, err := d.Write.QueryContext(ctx, "PRAGMA schema_version")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := rows.Scan(&v); err != nil {
				t.Fatal(err)
			}
		}
		return v
	}
	d := open()
	before := version(d)
	// An older version's trigger.
	if _, err := d.Write.ExecContext(ctx, "DROP TRIGGER log_counts_delete"); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Write.ExecContext(ctx, "CREATE TRIGGER log_counts_delete AFTER DELETE ON webhook_logs BEGIN SELECT 1; END"); err != nil {
		t.Fatal(err)
	}
	_ = d.Close()

	d = open()
	replaced := version(d)
	tx, err := d.Write.Tx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	schema, err := schemaSQL(ctx, tx)
	_ = tx.Rollback()
	if err != nil {
		t.Fatal(err)
	}
	for _, trig := range logCountsTriggers {
		if schema[trig.name] != trig.sql {
			t.Errorf("trigger %s after a start:\n%s\nwant\n%s", trig.name, schema[trig.name], trig.sql)
		}
	}
	_ = d.Close()

	d = open()
	defer d.Close()
	if again := version(d); again != replaced || replaced <= before {
		t.Fatalf("schema versions %d (first start), %d (replacing a trigger), %d (unchanged start): want the last two equal and above the first",
			before, replaced, again)
	}
}
