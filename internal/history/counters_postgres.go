package history

import (
	"context"
	"strings"

	"github.com/wexio/webhooks/ent"
)

// postgresCounters keep the counters with PostgreSQL triggers, each calling
// a PL/pgSQL function. PostgreSQL keeps no definition text to compare, so
// each function, trigger and index carries its own as its comment.
//
// Each counter is kept twice: per hour (CountersTable) and per UTC day
// (DailyCountersTable). A count over the 30 days of retention sums the
// days wholly inside its range and the hours of the days at its ends:
// some 50 rows a key instead of 720 (on SQLite, which sums faster, the
// hours alone do).
//
// Unlike SQLite's, the triggers only append: each statement adds a row per
// counter it changed, with no key to conflict on. Several servers commit
// batches at once; had each incremented one row per key, two batches
// touching two webhooks' counters in opposite orders would deadlock, and
// did. CountLogs sums whatever rows a key has; FoldCounters folds each
// key's rows into one, the recent hours every few seconds and all of them
// after each retention pass.
var postgresCounters = &counterSQL{
	tables: []counterTable{
		{name: CountersTable, create: pgCountersTable(CountersTable, "hour", pgHourOf("l"))},
		{name: DailyCountersTable, create: pgCountersTable(DailyCountersTable, "day", pgDayOf("l"))},
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
		pgFunction("log_counts_update", pgAppend("OLD", "-1")+pgAppend("NEW", "1")),
		pgTrigger("log_counts_update", "AFTER UPDATE OF workspace_id, webhook_id, direction, outcome, occurred_at"),
		// What FoldCounters reads every few seconds: the recent rows.
		pgIndex("log_counts_hour", "CREATE INDEX IF NOT EXISTS log_counts_hour ON "+CountersTable+" (hour)"),
		pgIndex("log_counts_daily_day", "CREATE INDEX IF NOT EXISTS log_counts_daily_day ON "+DailyCountersTable+" (day)"),
		// Not a counter: the live tail's announcements (feed_postgres.go).
		pgFeedObjects[0], pgFeedObjects[1],
	},
	existing: postgresSchema,
}

// pgCountersTable creates a counters' table, whose time column is col
// (computed from a log row l by colOf), and counts the rows already there:
// held to the commit, the lock lets no log row be written between the
// count and the triggers.
func pgCountersTable(name, col, colOf string) []string {
	return []string{
		`LOCK TABLE webhook_logs IN SHARE ROW EXCLUSIVE MODE`,
		`CREATE TABLE ` + name + ` (
	workspace_id text NOT NULL,
	webhook_id text NOT NULL,
	direction text NOT NULL,
	outcome text NOT NULL,
	event_type text NOT NULL,
	` + col + ` bigint NOT NULL,
	n bigint NOT NULL
)`,
		`CREATE INDEX ` + name + `_workspace_` + col + ` ON ` + name + ` (workspace_id, ` + col + `)`,
		`INSERT INTO ` + name + `
	SELECT l.workspace_id, l.webhook_id, l.direction, l.outcome, ` + pgTypeOf("l") + `, ` + colOf + `, COUNT(*)
	FROM webhook_logs l GROUP BY 1, 2, 3, 4, 5, 6`,
	}
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

// pgIndex is index name, made by def (CREATE INDEX IF NOT EXISTS: the
// database may have it from before it carried its comment).
func pgIndex(name, def string) counterObject {
	return counterObject{key: "index " + name, def: def, install: []string{
		"DROP INDEX IF EXISTS " + name, def, "COMMENT ON INDEX " + name + " IS " + pgQuote(def),
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

// pgHourOf is the hour of a log row's occurred_at (timestamptz), floored as
// CountLogs's hours are.
func pgHourOf(row string) string {
	return "floor(extract(epoch FROM " + row + ".occurred_at) / " + hourDivisor + ")::bigint"
}

// pgDayOf is the UTC day of a log row's occurred_at (hoursPerDay).
func pgDayOf(row string) string {
	return "floor(extract(epoch FROM " + row + ".occurred_at) / " + dayDivisor + ")::bigint"
}

// pgTypeOf is the type of a log row's event, "" without one.
func pgTypeOf(row string) string {
	return "COALESCE((SELECT type FROM events WHERE id = " + row + ".event_id), '')"
}

// pgAppend adds n to row's counters, hourly and daily, as a row each.
func pgAppend(row, n string) string {
	return `	INSERT INTO ` + CountersTable + ` VALUES (` + row + `.workspace_id, ` + row + `.webhook_id, ` +
		row + `.direction, ` + row + `.outcome, ` + pgTypeOf(row) + `, ` + pgHourOf(row) + `, ` + n + `);
	INSERT INTO ` + DailyCountersTable + ` VALUES (` + row + `.workspace_id, ` + row + `.webhook_id, ` +
		row + `.direction, ` + row + `.outcome, ` + pgTypeOf(row) + `, ` + pgDayOf(row) + `, ` + n + `);
`
}

// pgAppendAll adds n, an aggregate over each counter's rows of the
// transition table rows, to the counters, as a row each: the hourly ones,
// then the daily ones summed from those.
func pgAppendAll(rows, n string) string {
	return `	WITH hourly AS (
		INSERT INTO ` + CountersTable + `
		SELECT r.workspace_id, r.webhook_id, r.direction, r.outcome, COALESCE(e.type, ''), ` + pgHourOf("r") + `, ` + n + `
		FROM ` + rows + ` r LEFT JOIN events e ON e.id = r.event_id
		GROUP BY 1, 2, 3, 4, 5, 6
		RETURNING *
	)
	INSERT INTO ` + DailyCountersTable + `
	SELECT workspace_id, webhook_id, direction, outcome, event_type, floor(hour / ` + hoursPerDayText + `.0)::bigint, sum(n)
	FROM hourly GROUP BY 1, 2, 3, 4, 5, 6;
`
}

// pgFold folds each counter's rows of table (time column col) from time
// $1 on into one and drops those at zero, in one statement: rows other
// transactions add meanwhile are not among those it deletes, so none is
// lost, and two folds at once delete each row once (the second skips
// what the first deleted). The keys are found through the index on col.
func pgFold(table, col string) string {
	return `WITH keys AS (
	SELECT workspace_id, ` + col + `, webhook_id, direction, outcome, event_type FROM ` + table + `
	WHERE ` + col + ` >= $1
	GROUP BY 1, 2, 3, 4, 5, 6 HAVING count(*) > 1 OR sum(n) = 0
), gone AS (
	DELETE FROM ` + table + ` c USING keys k
	WHERE c.workspace_id = k.workspace_id AND c.` + col + ` = k.` + col + ` AND c.webhook_id = k.webhook_id
		AND c.direction = k.direction AND c.outcome = k.outcome AND c.event_type = k.event_type
	RETURNING c.*
)
INSERT INTO ` + table + `
SELECT workspace_id, webhook_id, direction, outcome, event_type, ` + col + `, sum(n) FROM gone
GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(n) <> 0`
}

// pgQuote is s as a string literal (standard_conforming_strings, on since
// PostgreSQL 9.1: only quotes are doubled).
func pgQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// postgresSchema returns the counters' tables (keyed by their names) and
// the functions, triggers and indexes of the current schema whose names
// start with log_counts, and the feed's (log_feed), keyed "function
// NAME", "trigger NAME", "index NAME", with their comments.
func postgresSchema(ctx context.Context, tx *ent.Tx) (map[string]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT c.relname, '' FROM pg_class c
	WHERE c.relname IN ('`+CountersTable+`', '`+DailyCountersTable+`') AND c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace
UNION ALL
SELECT 'index ' || c.relname, COALESCE(obj_description(c.oid, 'pg_class'), '') FROM pg_class c
	WHERE c.relname LIKE 'log\_counts\_%' AND c.relkind = 'i' AND c.relnamespace = current_schema()::regnamespace
UNION ALL
SELECT 'function ' || p.proname, COALESCE(obj_description(p.oid, 'pg_proc'), '') FROM pg_proc p
	WHERE (p.proname LIKE 'log\_counts\_%' OR p.proname LIKE 'log\_feed\_%') AND p.pronamespace = current_schema()::regnamespace
UNION ALL
SELECT 'trigger ' || t.tgname, COALESCE(obj_description(t.oid, 'pg_trigger'), '') FROM pg_trigger t
	WHERE (t.tgname LIKE 'log\_counts\_%' OR t.tgname LIKE 'log\_feed\_%') AND t.tgrelid = to_regclass('webhook_logs')`)
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
