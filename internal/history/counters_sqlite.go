package history

import (
	"context"

	"github.com/wexio/webhooks/ent"
)

// sqliteCounters keep the counters with SQLite triggers. Their text is
// compared with the database's (sqlite_master keeps it as written), so a
// change to it, even of white space, replaces the triggers of every
// database at its next start: testdata/log_counts.sqlite.sql holds it.
var sqliteCounters = &counterSQL{
	tables: []counterTable{{name: CountersTable, create: []string{
		`CREATE TABLE log_counts (
		workspace_id TEXT NOT NULL,
		webhook_id TEXT NOT NULL,
		direction TEXT NOT NULL,
		outcome TEXT NOT NULL,
		event_type TEXT NOT NULL,
		hour INTEGER NOT NULL,
		n INTEGER NOT NULL,
		PRIMARY KEY (workspace_id, hour, webhook_id, direction, outcome, event_type)
	) WITHOUT ROWID`,
		`INSERT INTO log_counts
		SELECT l.workspace_id, l.webhook_id, l.direction, l.outcome, ` + sqliteTypeOf("l") + `, ` + sqliteHourOf("l") + `, COUNT(*)
		FROM webhook_logs l GROUP BY 1, 2, 3, 4, 5, 6`,
	}}, {name: countersBatchTable, create: []string{
		`CREATE TABLE ` + countersBatchTable + ` (counting INTEGER NOT NULL)`,
	}}},
	objects: []counterObject{
		// The rows InsertLogs writes are counted by it, one upsert per
		// counter (countLogs), while its row in countersBatchTable says
		// so. Any other insert is counted here, row by row.
		sqliteTrigger("log_counts_insert", `CREATE TRIGGER log_counts_insert AFTER INSERT ON webhook_logs
		WHEN NOT EXISTS (SELECT 1 FROM `+countersBatchTable+`) BEGIN `+sqliteIncrement("NEW")+` END`),
		sqliteTrigger("log_counts_delete", `CREATE TRIGGER log_counts_delete AFTER DELETE ON webhook_logs BEGIN `+sqliteDecrement("OLD")+` END`),
		// Log rows are written once; should one be moved, its count moves too.
		sqliteTrigger("log_counts_update", `CREATE TRIGGER log_counts_update
		AFTER UPDATE OF workspace_id, webhook_id, direction, outcome, occurred_at ON webhook_logs
		BEGIN `+sqliteDecrement("OLD")+sqliteIncrement("NEW")+` END`),
	},
	existing: sqliteSchema,
}

// countersBatchTable holds a row, on SQLite, only inside a transaction of
// InsertLogs: while it does, the rows inserted are counted by InsertLogs
// itself, per batch, and the insert trigger leaves them alone. Empty
// whenever a transaction commits, so a row any other way inserts is always
// counted by the trigger.
const countersBatchTable = "log_counts_batch"

func sqliteTrigger(name, def string) counterObject {
	return counterObject{key: name, def: def, install: []string{"DROP TRIGGER IF EXISTS " + name, def}}
}

// sqliteHourOf is the hour of a log row's occurred_at, which the driver
// stores as "2006-01-02 15:04:05.999999999-07:00" text: SQLite's date
// functions read it, offset included.
func sqliteHourOf(row string) string {
	return "CAST(strftime('%s', " + row + ".occurred_at) AS INTEGER) / " + hourDivisor
}

// sqliteTypeOf is the type of a log row's event, "" without one.
func sqliteTypeOf(row string) string {
	return "COALESCE((SELECT type FROM events WHERE id = " + row + ".event_id), '')"
}

func sqliteIncrement(row string) string {
	return `INSERT INTO log_counts VALUES (` + row + `.workspace_id, ` + row + `.webhook_id, ` +
		row + `.direction, ` + row + `.outcome, ` + sqliteTypeOf(row) + `, ` + sqliteHourOf(row) + `, 1)
		ON CONFLICT DO UPDATE SET n = n + 1;`
}

// sqliteDecrement takes a row off its counter, and deletes the counter when
// that was its last row: retention would otherwise leave a zero behind for
// every hour ever logged, and totalCount would sum them all.
func sqliteDecrement(row string) string {
	key := `workspace_id = ` + row + `.workspace_id AND hour = ` + sqliteHourOf(row) +
		` AND webhook_id = ` + row + `.webhook_id AND direction = ` + row + `.direction AND outcome = ` + row + `.outcome
		AND event_type = ` + sqliteTypeOf(row)
	return `UPDATE log_counts SET n = n - 1 WHERE ` + key + `;
		DELETE FROM log_counts WHERE ` + key + ` AND n <= 0;`
}

// sqliteSchema returns the CREATE statement of every table and trigger of
// the database by name, as SQLite keeps them.
func sqliteSchema(ctx context.Context, tx *ent.Tx) (map[string]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT name, sql FROM sqlite_master WHERE type IN ('table', 'trigger')`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var name string
		var sql *string
		if err := rows.Scan(&name, &sql); err != nil {
			return nil, err
		}
		if sql != nil {
			out[name] = *sql
		}
	}
	return out, rows.Err()
}
