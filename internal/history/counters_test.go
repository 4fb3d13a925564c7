package history

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/wexio/webhooks/internal/db/dbtest"
	"github.com/wexio/webhooks/internal/testkit"
)

var update = flag.Bool("update", false, "rewrite testdata/log_counts.*.sql from the code")

// script is the counters' SQL of cs as one text: the table's statements,
// then each object's definition under its key.
func script(cs *counterSQL) string {
	var b strings.Builder
	for _, t := range cs.tables {
		for _, s := range t.create {
			b.WriteString(s + ";\n\n")
		}
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
		current := map[string]string{}
		for _, t := range cs.tables {
			current[t.name] = ""
		}
		for _, o := range cs.objects {
			current[o.key] = o.def
		}
		if got := cs.changes(current); len(got) != 0 {
			t.Errorf("%s: up to date, yet %q", d, got)
		}
		old := cs.objects[1]
		current[old.key] = "an older version"
		delete(current, CountersTable)
		want := append(append([]string{}, cs.tables[0].create...), old.install...)
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

// withoutCounters are, per dialect, the statements that take a database
// back to before the counters existed.
var withoutCounters = map[string][]string{
	dialect.SQLite: {"DROP TRIGGER log_counts_insert", "DROP TRIGGER log_counts_delete",
		"DROP TRIGGER log_counts_update", "DROP TABLE " + CountersTable, "DROP TABLE " + countersBatchTable},
	// Dropping a function drops the trigger calling it.
	dialect.Postgres: {"DROP FUNCTION log_counts_insert() CASCADE", "DROP FUNCTION log_counts_delete() CASCADE",
		"DROP FUNCTION log_counts_update() CASCADE", "DROP TABLE " + CountersTable, "DROP TABLE " + DailyCountersTable},
}

// olderDelete are, per dialect, the statements that give a database an
// older version's delete trigger (on PostgreSQL, the function it calls).
var olderDelete = map[string][]string{
	dialect.SQLite: {"DROP TRIGGER log_counts_delete",
		"CREATE TRIGGER log_counts_delete AFTER DELETE ON webhook_logs BEGIN SELECT 1; END"},
	dialect.Postgres: {
		"CREATE OR REPLACE FUNCTION log_counts_delete() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NULL; END$$",
		"COMMENT ON FUNCTION log_counts_delete() IS 'an older version'"},
}

// schemaVersion changes whenever e's database's schema does: SQLite's
// schema_version; on PostgreSQL, the row versions of the schema's
// relations and functions, of the triggers and of the comments.
func (e *env) schemaVersion(tb testing.TB) string {
	tb.Helper()
	q := "PRAGMA schema_version"
	if e.d.Dialect == dialect.Postgres {
		q = `SELECT string_agg(o, ' ' ORDER BY o) FROM (
	SELECT 'class ' || oid::text || ':' || xmin::text FROM pg_class WHERE relnamespace = current_schema()::regnamespace
	UNION ALL SELECT 'proc ' || oid::text || ':' || xmin::text FROM pg_proc WHERE pronamespace = current_schema()::regnamespace
	UNION ALL SELECT 'trigger ' || oid::text || ':' || xmin::text FROM pg_trigger
	UNION ALL SELECT 'comment ' || objoid::text || ':' || xmin::text FROM pg_description) AS s(o)`
	}
	return e.queryString(tb, q)
}

// TestMigrateCountersKeepsOrReplaces: migrating an up-to-date database
// changes no schema (a CLI command beside a running server must not), and
// migrating over a trigger of another version replaces it.
func TestMigrateCountersKeepsOrReplaces(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := setup(t)
	d := e.d
	cs, err := countersFor(d.Dialect)
	if err != nil {
		t.Fatal(err)
	}
	version := func() string { t.Helper(); return e.schemaVersion(t) }
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
		t.Fatalf("schema version %s after migrating an up-to-date database, was %s", again, before)
	}
	e.exec(t, olderDelete[d.Dialect]...)
	older := version()
	migrate()
	if replaced := version(); replaced == older {
		t.Fatalf("schema version %s unchanged by replacing a trigger", replaced)
	}
	tx, err := d.Write.Tx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	schema, err := cs.existing(ctx, tx)
	_ = tx.Rollback()
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range cs.objects {
		if schema[o.key] != o.def {
			t.Errorf("%s after migrating:\n%s\nwant\n%s", o.key, schema[o.key], o.def)
		}
	}
	// PostgreSQL's definitions above are the objects' comments; the
	// functions' own code is their source.
	for _, o := range cs.objects {
		if name, ok := strings.CutPrefix(o.key, "function "); ok {
			src := e.queryString(t, dbtest.Rebind(d.Dialect, "SELECT prosrc FROM pg_proc WHERE proname = ?"), name)
			if !strings.Contains(o.def, "$$"+src+"$$") {
				t.Errorf("function %s after migrating runs\n%s\nwant the code of\n%s", name, src, o.def)
			}
		}
	}
	if err := MigrateCounters(ctx, d.Write, dialect.MySQL); err == nil {
		t.Error("migrated counters in a dialect that has none")
	}
}

// TestPruneLeavesOneCounterPerKey: after a retention pass, each counter is
// one row (PostgreSQL appends a row per log row written or deleted, and
// the pass folds them), the counters of pruned hours are gone, and the
// counts are what the rows say.
func TestPruneLeavesOneCounterPerKey(t *testing.T) {
	t.Parallel()
	e := setup(t)
	for range 6 {
		e.log(t, young)
	}
	for range 2 {
		e.log(t, old)
	}
	if _, err := e.pruner(t, 1).PruneOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := e.queryString(t, "SELECT count(*) FROM "+CountersTable); got != "1" {
		t.Fatalf("%s counter rows after the pass, want 1", got)
	}
	if e.d.Dialect == dialect.Postgres {
		if got := e.queryString(t, "SELECT count(*) FROM "+DailyCountersTable); got != "1" {
			t.Fatalf("%s daily counter rows after the pass, want 1", got)
		}
	}
	n, err := CountLogs(e.ctx, e.d.Read, e.d.Dialect, nil)
	if err != nil || n != 6 {
		t.Fatalf("CountLogs = %d, %v; want 6", n, err)
	}
}

// TestRunFoldsRecentCounters: between passes, a running pruner folds the
// counters of the last hour at every fold tick, so a count sums one row
// per counter, not every row the writers appended since the pass.
func TestRunFoldsRecentCounters(t *testing.T) {
	t.Parallel()
	e := setup(t)
	p, err := NewPruner(Config{Retention: retention, Now: func() time.Time { return now }},
		Deps{Writer: e.w, Read: e.d.Read, Dialect: e.d.Dialect, Write: e.d.Write})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	fold := make(chan time.Time)
	done := make(chan bool, 1)
	go func() { done <- p.untilPass(ctx, nil, fold) }()
	for range 5 {
		e.log(t, now.Add(-time.Minute))
	}
	fold <- now
	testkit.Eventually(t, "the recent counters folded into one row", func() bool {
		return e.queryString(t, "SELECT count(*) FROM "+CountersTable) == "1"
	})
	if n, err := CountLogs(e.ctx, e.d.Read, e.d.Dialect, nil); err != nil || n != 5 {
		t.Fatalf("CountLogs = %d, %v; want 5", n, err)
	}
	cancel()
	if <-done {
		t.Fatal("untilPass reported a pass due after its context ended")
	}
}
