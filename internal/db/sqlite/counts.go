package sqlite

import (
	"context"
	"fmt"

	"github.com/wexio/webhooks/ent"
)

// LogCountsTable counts log rows per hour of occurred_at and per everything
// a history filter can ask for (workspace, webhook, direction, outcome,
// event type; "" for rows without an event), so that a totalCount over a
// million rows sums a few hundred counters instead of counting the rows.
// history.CountLogs reads it.
//
// Triggers keep it exact inside SQLite itself, in the transaction that
// changes the log rows: no code path can forget it and it costs no
// statement of the writer's. A row's event type is taken when it is
// written; a later change of its event_id (the event being pruned, which
// retention does only after the event's log rows) leaves it counted under
// that type.
const LogCountsTable = "log_counts"

// hourOf is the hour bucket of a log row's occurred_at, which the driver
// stores as "2006-01-02 15:04:05.999999999-07:00" text: SQLite's date
// functions read it, offset included. history.CountLogs buckets the same way.
func hourOf(row string) string {
	return "CAST(strftime('%s', " + row + ".occurred_at) AS INTEGER) / 3600"
}

// typeOf is the type of a log row's event, "" without one.
func typeOf(row string) string {
	return "COALESCE((SELECT type FROM events WHERE id = " + row + ".event_id), '')"
}

// logCountsTable creates the counters and counts the rows already there (a
// database older than the table) once.
var logCountsTable = []string{
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
		SELECT l.workspace_id, l.webhook_id, l.direction, l.outcome, ` + typeOf("l") + `, ` + hourOf("l") + `, COUNT(*)
		FROM webhook_logs l GROUP BY 1, 2, 3, 4, 5, 6`,
}

// The triggers keep the counters exact. They are replaced whenever the
// database's differ from this version's, and only then: a start (or a CLI
// command beside a running server) changes no schema it does not have to.
var logCountsTriggers = []struct{ name, sql string }{
	{"log_counts_insert", `CREATE TRIGGER log_counts_insert AFTER INSERT ON webhook_logs BEGIN ` + increment("NEW") + ` END`},
	{"log_counts_delete", `CREATE TRIGGER log_counts_delete AFTER DELETE ON webhook_logs BEGIN ` + decrement("OLD") + ` END`},
	// Log rows are written once; should one be moved, its count moves too.
	{"log_counts_update", `CREATE TRIGGER log_counts_update
		AFTER UPDATE OF workspace_id, webhook_id, direction, outcome, occurred_at ON webhook_logs
		BEGIN ` + decrement("OLD") + increment("NEW") + ` END`},
}

func increment(row string) string {
	return `INSERT INTO log_counts VALUES (` + row + `.workspace_id, ` + row + `.webhook_id, ` +
		row + `.direction, ` + row + `.outcome, ` + typeOf(row) + `, ` + hourOf(row) + `, 1)
		ON CONFLICT DO UPDATE SET n = n + 1;`
}

// decrement takes a row off its counter, and deletes the counter when that
// was its last row: retention would otherwise leave a zero behind for every
// hour ever logged, and totalCount would sum them all.
func decrement(row string) string {
	key := `workspace_id = ` + row + `.workspace_id AND hour = ` + hourOf(row) +
		` AND webhook_id = ` + row + `.webhook_id AND direction = ` + row + `.direction AND outcome = ` + row + `.outcome
		AND event_type = ` + typeOf(row)
	return `UPDATE log_counts SET n = n - 1 WHERE ` + key + `;
		DELETE FROM log_counts WHERE ` + key + ` AND n <= 0;`
}

// ensureLogCounts creates the counters, counting the rows already there,
// unless a previous start did, and brings their triggers to this version's.
// All in one transaction: no row can be written between the count and the
// triggers.
func ensureLogCounts(ctx context.Context, c *ent.Client) (err error) {
	tx, err := c.Tx(ctx)
	if err != nil {
		return fmt.Errorf("creating log counters: %w", err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	schema, err := schemaSQL(ctx, tx)
	if err != nil {
		return fmt.Errorf("looking for log counters: %w", err)
	}
	var stmts []string
	if _, ok := schema[LogCountsTable]; !ok {
		stmts = append(stmts, logCountsTable...)
	}
	for _, trig := range logCountsTriggers {
		if schema[trig.name] != trig.sql {
			stmts = append(stmts, "DROP TRIGGER IF EXISTS "+trig.name, trig.sql)
		}
	}
	if len(stmts) == 0 {
		return tx.Rollback()
	}
	for _, stmt := range stmts {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("creating log counters: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("creating log counters: %w", err)
	}
	return nil
}

// schemaSQL returns the CREATE statement of every table and trigger of the
// database by name, as SQLite keeps them.
func schemaSQL(ctx context.Context, tx *ent.Tx) (map[string]string, error) {
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
