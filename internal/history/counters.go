package history

import (
	"context"
	"fmt"
	"strconv"
	"time"

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

// DailyCountersTable counts the same per UTC day, on PostgreSQL
// (postgresCounters says why).
const DailyCountersTable = "log_counts_daily"

// hourSeconds is the counters' bucket: hour h holds the rows whose
// occurred_at is in [h·3600 s, (h+1)·3600 s) of unix time. The dialects'
// SQL (counterSQL) and CountLogs's ranges of whole hours both divide by it.
const hourSeconds = 3600

var hourDivisor = strconv.Itoa(hourSeconds)

// hoursPerDay makes a UTC day of hours: day d holds hours [24d, 24d+24).
const hoursPerDay = 24

var (
	hoursPerDayText = strconv.Itoa(hoursPerDay)
	dayDivisor      = strconv.Itoa(hourSeconds * hoursPerDay)
)

// counterSQL is how one dialect keeps the counters.
type counterSQL struct {
	// tables are the counters' tables, each made when missing, counting
	// the rows already there (a database older than the table).
	tables []counterTable
	// objects keep the counters exact: triggers and whatever they call.
	objects []counterObject
	// existing returns, by key, the table and objects the database has,
	// each with the definition it was made from (the table's may be "").
	existing func(ctx context.Context, tx *ent.Tx) (map[string]string, error)
}

// counterTable is one table of the counters and what makes it.
type counterTable struct {
	name   string
	create []string
}

// counterObject is one trigger (or function, or index) of the counters.
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
	for _, t := range cs.tables {
		if _, ok := have[t.name]; !ok {
			stmts = append(stmts, t.create...)
		}
	}
	for _, o := range cs.objects {
		if have[o.key] != o.def {
			stmts = append(stmts, o.install...)
		}
	}
	return stmts
}

// FoldCounters folds the rows of each counter of an hour from since on
// (of any hour, for a zero since) into one, where a dialect appends them
// (PostgreSQL; SQLite's triggers keep one row per counter already). Safe
// beside the writers and another fold; run on one server at a time all
// the same, as the pruner does, since two would do the same work.
func FoldCounters(ctx context.Context, c *ent.Client, d string, since time.Time) error {
	if sqlDialect(d) != dialect.Postgres {
		return nil
	}
	hour := int64(minHour)
	if !since.IsZero() {
		hour = floorDiv(since.Unix(), hourSeconds)
	}
	folds := []struct {
		table, col string
		from       int64
	}{
		{CountersTable, "hour", hour},
		{DailyCountersTable, "day", floorDiv(hour, hoursPerDay)},
	}
	for _, f := range folds {
		if _, err := c.ExecContext(ctx, pgFold(f.table, f.col), f.from); err != nil {
			return fmt.Errorf("folding log counters: %w", err)
		}
	}
	return nil
}

// floorDiv is ⌊a/b⌋ for b > 0, before 1970 too.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}
