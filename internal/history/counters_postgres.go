package history

import (
	"context"
	"strings"

	"github.com/wexio/webhooks/ent"
)

// postgresCounters keep the counters with PostgreSQL triggers, each calling
// a PL/pgSQL function. PostgreSQL keeps no definition text to compare, so
// each function and trigger carries its own as its comment.
//
// Unlike SQLite's, the triggers only append: each log row written adds a
// row of n = 1 (deleted, n = -1), with no key to conflict on. Several
// servers commit batches at once; had each incremented one row per key,
// two batches touching two webhooks' counters in opposite orders would
// deadlock, and did. CountLogs sums whatever rows a key has, and the
// retention pass (one server at a time) folds each key's rows into one
// (CompactCounters).
var postgresCounters = &counterSQL{
	create: []string{
		// Held to the commit: no log row is written between the count and
		// the triggers.
		`LOCK TABLE webhook_logs IN SHARE ROW EXCLUSIVE MODE`,
		`CREATE TABLE log_counts (
	workspace_id text NOT NULL,
	webhook_id text NOT NULL,
	direction text NOT NULL,
	outcome text NOT NULL,
	event_type text NOT NULL,
	hour bigint NOT NULL,
	n bigint NOT NULL
)`,
		`CREATE INDEX log_counts_workspace_hour ON log_counts (workspace_id, hour)`,
		`INSERT INTO log_counts
	SELECT l.workspace_id, l.webhook_id, l.direction, l.outcome, ` + pgTypeOf("l") + `, ` + pgHourOf("l") + `, COUNT(*)
	FROM webhook_logs l GROUP BY 1, 2, 3, 4, 5, 6`,
	},
	objects: []counterObject{
		// Once per statement, over the rows it wrote (a transition table):
		// a batch's rows are one INSERT, and its counting one more, where a
		// trigger per row cost a sixth of the inbound path on PostgreSQL.
		pgFunction("log_counts_insert", pgAppendAll("new_rows", "count(*)")),
		pgStatementTrigger("log_counts_insert", "AFTER INSERT", "NEW TABLE AS new_rows"),
		pgFunction("log_counts_delete", pgAppendAll("old_rows", "-count(*)")),
		pgStatementTrigger("log_counts_delete", "AFTER DELETE", "OLD TABLE AS old_rows"),
		// Log rows are written once; should one be moved, its count moves
		// too. Per row: a trigger with transition tables cannot name the
		// columns it watches, and a change of event_id (its event pruned)
		// must not move the row's count.
		pgFunction("log_counts_update", pgDecrement("OLD")+pgIncrement("NEW")),
		pgTrigger("log_counts_update", "AFTER UPDATE OF workspace_id, webhook_id, direction, outcome, occurred_at"),
	},
	existing: postgresSchema,
}

// pgFunction is the trigger function name running body.
func pgFunction(name, body string) counterObject {
	def := `CREATE OR REPLACE FUNCTION ` + name + `() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
` + body + `	RETURN NULL;
END
$$`
	return counterObject{key: "function " + name, def: def,
		install: []string{def, "COMMENT ON FUNCTION " + name + "() IS " + pgQuote(def)}}
}

// pgTrigger is the trigger name on webhook_logs, firing when, for each row,
// the function of its name.
func pgTrigger(name, when string) counterObject {
	def := `CREATE TRIGGER ` + name + ` ` + when + ` ON webhook_logs FOR EACH ROW EXECUTE FUNCTION ` + name + `()`
	return counterObject{key: "trigger " + name, def: def, install: []string{
		"DROP TRIGGER IF EXISTS " + name + " ON webhook_logs", def,
		"COMMENT ON TRIGGER " + name + " ON webhook_logs IS " + pgQuote(def),
	}}
}

// pgStatementTrigger is the trigger name on webhook_logs, firing when, once
// per statement, the function of its name, which reads the statement's
// rows as the transition table referencing names.
func pgStatementTrigger(name, when, referencing string) counterObject {
	def := `CREATE TRIGGER ` + name + ` ` + when + ` ON webhook_logs REFERENCING ` + referencing +
		` FOR EACH STATEMENT EXECUTE FUNCTION ` + name + `()`
	return counterObject{key: "trigger " + name, def: def, install: []string{
		"DROP TRIGGER IF EXISTS " + name + " ON webhook_logs", def,
		"COMMENT ON TRIGGER " + name + " ON webhook_logs IS " + pgQuote(def),
	}}
}

// pgAppendAll adds n, an aggregate over each counter's rows of the
// transition table rows, to the counters, as a row each.
func pgAppendAll(rows, n string) string {
	return `	INSERT INTO log_counts
	SELECT r.workspace_id, r.webhook_id, r.direction, r.outcome, COALESCE(e.type, ''), ` + pgHourOf("r") + `, ` + n + `
	FROM ` + rows + ` r LEFT JOIN events e ON e.id = r.event_id
	GROUP BY 1, 2, 3, 4, 5, 6;
`
}

// pgHourOf is the hour of a log row's occurred_at (timestamptz), floored as
// CountLogs's hours are.
func pgHourOf(row string) string {
	return "floor(extract(epoch FROM " + row + ".occurred_at) / " + hourDivisor + ")::bigint"
}

// pgTypeOf is the type of a log row's event, "" without one.
func pgTypeOf(row string) string {
	return "COALESCE((SELECT type FROM events WHERE id = " + row + ".event_id), '')"
}

func pgIncrement(row string) string { return pgAppend(row, "1") }

// pgDecrement takes a row off its counter; the compaction deletes the
// counters that reach zero (sqliteDecrement says why they must go).
func pgDecrement(row string) string { return pgAppend(row, "-1") }

// pgAppend adds n to row's counter as a row of its own.
func pgAppend(row, n string) string {
	return `	INSERT INTO log_counts VALUES (` + row + `.workspace_id, ` + row + `.webhook_id, ` +
		row + `.direction, ` + row + `.outcome, ` + pgTypeOf(row) + `, ` + pgHourOf(row) + `, ` + n + `);
`
}

// pgCompact folds each counter's rows into one and drops those at zero, in
// one statement: rows other transactions add meanwhile are not among those
// it deletes, so none is lost. The keys are found by one pass over the
// table, which holds a row per counter (a few per hour and webhook) plus
// what was appended since the last compaction.
const pgCompact = `WITH keys AS (
	SELECT workspace_id, hour, webhook_id, direction, outcome, event_type FROM log_counts
	GROUP BY 1, 2, 3, 4, 5, 6 HAVING count(*) > 1 OR sum(n) = 0
), gone AS (
	DELETE FROM log_counts c USING keys k
	WHERE c.workspace_id = k.workspace_id AND c.hour = k.hour AND c.webhook_id = k.webhook_id
		AND c.direction = k.direction AND c.outcome = k.outcome AND c.event_type = k.event_type
	RETURNING c.*
)
INSERT INTO log_counts
SELECT workspace_id, webhook_id, direction, outcome, event_type, hour, sum(n) FROM gone
GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(n) <> 0`

// pgQuote is s as a string literal (standard_conforming_strings, on since
// PostgreSQL 9.1: only quotes are doubled).
func pgQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// postgresSchema returns the counters' table (keyed by its name) and the
// functions and triggers of the current schema whose names start with
// log_counts (keyed "function NAME", "trigger NAME"), with their comments.
func postgresSchema(ctx context.Context, tx *ent.Tx) (map[string]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT c.relname, '' FROM pg_class c
	WHERE c.relname = 'log_counts' AND c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace
UNION ALL
SELECT 'function ' || p.proname, COALESCE(obj_description(p.oid, 'pg_proc'), '') FROM pg_proc p
	WHERE p.proname LIKE 'log\_counts\_%' AND p.pronamespace = current_schema()::regnamespace
UNION ALL
SELECT 'trigger ' || t.tgname, COALESCE(obj_description(t.oid, 'pg_trigger'), '') FROM pg_trigger t
	WHERE t.tgname LIKE 'log\_counts\_%' AND t.tgrelid = to_regclass('webhook_logs')`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var key, def string
		if err := rows.Scan(&key, &def); err != nil {
			return nil, err
		}
		out[key] = def
	}
	return out, rows.Err()
}
