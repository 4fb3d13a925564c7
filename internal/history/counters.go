package history

import (
	"context"
	"fmt"
	"strconv"

	"entgo.io/ent/dialect"

	"github.com/wexio/webhooks/ent"
)

// CountersTable counts log rows per hour of occurred_at and per everything
// a history filter can ask for (workspace, webhook, direction, outcome,
// event type; "" for rows without an event), so that a totalCount over a
// million rows sums a few hundred counters instead of counting the rows
// (CountLogs).
//
// Triggers keep it exact inside the database itself, in the transaction
// that changes the log rows: no code path can forget it and it costs no
// statement of the writer's. A row's event type is taken when it is
// written; a later change of its event_id (the event being pruned, which
// retention does only after the event's log rows) leaves it counted under
// that type.
const CountersTable = "log_counts"

// hourSeconds is the counters' bucket: hour h holds the rows whose
// occurred_at is in [h·3600 s, (h+1)·3600 s) of unix time. The dialects'
// SQL (counterSQL) and CountLogs's ranges of whole hours both divide by it.
const hourSeconds = 3600

var hourDivisor = strconv.Itoa(hourSeconds)

// counterSQL is how one dialect keeps the counters.
type counterSQL struct {
	// create makes the table and counts the rows already there (a database
	// older than the table), once.
	create []string
	// objects keep the counters exact: triggers and whatever they call.
	objects []counterObject
	// existing returns, by key, the table and objects the database has,
	// each with the definition it was made from (the table's may be "").
	existing func(ctx context.Context, tx *ent.Tx) (map[string]string, error)
}

// counterObject is one trigger (or function) of the counters.
type counterObject struct {
	key     string   // its key in counterSQL.existing
	def     string   // its definition, compared with the database's
	install []string // what replaces the database's by def
}

// countersFor returns the counters' SQL for dialect d.
func countersFor(d string) (*counterSQL, error) {
	switch sqlDialect(d) {
	case dialect.SQLite:
		return sqliteCounters, nil
	case dialect.Postgres:
		return postgresCounters, nil
	}
	return nil, fmt.Errorf("history: no log counters for SQL dialect %q", d)
}

// sqlDialect is d, ent's name of a database's SQL dialect
// (store.Store.Dialect), with "" meaning SQLite's, the embedded default.
func sqlDialect(d string) string {
	if d == "" {
		return dialect.SQLite
	}
	return d
}

// MigrateCounters creates the counters in c's database, of SQL dialect
// dialect, counting the rows already there, unless an earlier start did;
// and brings their triggers to this version's, replacing only those that
// differ, so that a start (or a CLI command beside a running server)
// changes no schema it does not have to. All in one transaction: no log
// row can be written between the count and the triggers. Run it after
// ent's migration, which makes the tables the triggers read.
func MigrateCounters(ctx context.Context, c *ent.Client, dialect string) (err error) {
	cs, err := countersFor(dialect)
	if err != nil {
		return err
	}
	tx, err := c.Tx(ctx)
	if err != nil {
		return fmt.Errorf("creating log counters: %w", err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	have, err := cs.existing(ctx, tx)
	if err != nil {
		return fmt.Errorf("looking for log counters: %w", err)
	}
	stmts := cs.changes(have)
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

// changes are the statements that bring a database having have to this
// version's counters; none when it has them.
func (cs *counterSQL) changes(have map[string]string) []string {
	var stmts []string
	if _, ok := have[CountersTable]; !ok {
		stmts = append(stmts, cs.create...)
	}
	for _, o := range cs.objects {
		if have[o.key] != o.def {
			stmts = append(stmts, o.install...)
		}
	}
	return stmts
}

// CompactCounters folds the counters' rows where a dialect appends them
// (PostgreSQL; SQLite's triggers keep one row per counter already): run by
// the retention pass, on one server at a time.
func CompactCounters(ctx context.Context, c *ent.Client, d string) error {
	if sqlDialect(d) != dialect.Postgres {
		return nil
	}
	if _, err := c.ExecContext(ctx, pgCompact); err != nil {
		return fmt.Errorf("compacting log counters: %w", err)
	}
	return nil
}
