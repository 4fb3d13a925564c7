package history

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"entgo.io/ent/dialect"
)

var update = flag.Bool("update", false, "rewrite testdata/log_counts.*.sql from the code")

// script is the counters' SQL of cs as one text: the table's statements,
// then each object's definition under its key.
func script(cs *counterSQL) string {
	var b strings.Builder
	for _, s := range cs.create {
		b.WriteString(s + ";\n\n")
	}
	for _, o := range cs.objects {
		b.WriteString("-- " + strings.TrimPrefix(strings.TrimPrefix(o.key, "function "), "trigger ") + "\n" + o.def + ";\n\n")
	}
	return b.String()
}

// TestCountersSQLMatchesTestdata: the counters' SQL of each dialect is its
// file in testdata. SQLite's was taken from the version before it moved here
// (internal/db): databases compare their triggers' text with it, so any
// change, white space included, rewrites every database's triggers; such a
// change is made on purpose, with -update.
func TestCountersSQLMatchesTestdata(t *testing.T) {
	t.Parallel()
	for name, cs := range map[string]*counterSQL{"sqlite": sqliteCounters, "postgres": postgresCounters} {
		path := filepath.Join("testdata", "log_counts."+name+".sql")
		got := script(cs)
		if *update {
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if got != string(want) {
			t.Errorf("%s counters differ from %s:\n%s", name, path, got)
		}
	}
}

// TestCountersChangeOnlyWhatDiffers: a database with this version's table
// and objects gets no statement; a missing table is created (and counted);
// an object with another definition, or none, is installed again, alone.
func TestCountersChangeOnlyWhatDiffers(t *testing.T) {
	t.Parallel()
	for _, d := range []string{dialect.SQLite, dialect.Postgres} {
		cs, err := countersFor(d)
		if err != nil {
			t.Fatal(err)
		}
		current := map[string]string{CountersTable: ""}
		for _, o := range cs.objects {
			current[o.key] = o.def
		}
		if got := cs.changes(current); len(got) != 0 {
			t.Errorf("%s: up to date, yet %q", d, got)
		}
		old := cs.objects[1]
		current[old.key] = "an older version"
		delete(current, CountersTable)
		want := append(append([]string{}, cs.create...), old.install...)
		if got := cs.changes(current); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: table missing, %s old: %q, want %q", d, old.key, got, want)
		}
	}
	if _, err := countersFor(dialect.MySQL); err == nil {
		t.Error("counters for MySQL, which has no such SQL")
	}
	if cs, err := countersFor(""); err != nil || cs != sqliteCounters {
		t.Errorf(`"" is SQLite's dialect: %v`, err)
	}
}

// TestMigrateCountersKeepsOrReplaces: migrating an up-to-date database
// changes no schema (a CLI command beside a running server must not), and
// migrating over a trigger of another version replaces it.
func TestMigrateCountersKeepsOrReplaces(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := setup(t).d
	version := func() (v int) {
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
	migrate := func() {
		t.Helper()
		if err := MigrateCounters(ctx, d.Write, d.Dialect); err != nil {
			t.Fatal(err)
		}
	}
	migrate()
	before := version()
	migrate()
	if again := version(); again != before {
		t.Fatalf("schema version %d after migrating an up-to-date database, was %d", again, before)
	}
	// An older version's trigger.
	for _, stmt := range []string{"DROP TRIGGER log_counts_delete",
		"CREATE TRIGGER log_counts_delete AFTER DELETE ON webhook_logs BEGIN SELECT 1; END"} {
		if _, err := d.Write.ExecContext(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}
	older := version()
	migrate()
	if replaced := version(); replaced <= older {
		t.Fatalf("schema version %d after replacing a trigger, was %d", replaced, older)
	}
	tx, err := d.Write.Tx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	schema, err := sqliteSchema(ctx, tx)
	_ = tx.Rollback()
	if err != nil {
		t.Fatal(err)
	}
	for _, trig := range sqliteCounters.objects {
		if schema[trig.key] != trig.def {
			t.Errorf("trigger %s after migrating:\n%s\nwant\n%s", trig.key, schema[trig.key], trig.def)
		}
	}
	if err := MigrateCounters(ctx, d.Write, dialect.MySQL); err == nil {
		t.Error("migrated counters in a dialect that has none")
	}
}
