package history

import (
	"context"

	"fmt"
	"strings"
	"time"

	"entgo.io/ent/dialect"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/tenant"
)

// CountLogs counts the log rows of the workspace in ctx that match f, as
// LogPredicates would select them. Whole hours of the time range are summed
// from the counters (CountersTable); only the partial hours at its ends are
// counted row by row, so a count over a million rows reads a few hundred
// counters and at most two hours of rows. c must see committed data
// consistently with the page it counts for (the read client, or the
// transaction's); dialect is its database's (sqlDialect).
func CountLogs(ctx context.Context, c *ent.Client, dialect string, f *schematype.LogFilter) (int, error) {
	ws, ok := tenant.Workspace(ctx)
	if !ok {
		return 0, fmt.Errorf("counting log rows: no workspace in context")
	}
	if f == nil {
		f = &schematype.LogFilter{}
	}
	lo, hi := hourRange(f.Since, f.Until)
	total := 0
	if lo < hi {
		n, err := sumCounters(ctx, c, dialect, ws, f, lo, hi)
		if err != nil {
			return 0, err
		}
		total += n
	}
	for _, edge := range edges(f.Since, f.Until, lo, hi) {
		g := *f
		g.Since, g.Until = edge[0], edge[1]
		n, err := c.WebhookLog.Query().Where(LogPredicates(&g)...).Count(ctx)
		if err != nil {
			return 0, fmt.Errorf("counting log rows: %w", err)
		}
		total += n
	}
	return total, nil
}

// The hours before and after any row (hourSeconds defines an hour).
const (
	minHour = -1 << 40
	maxHour = 1 << 40
)

// hourRange is the range [lo, hi) of hours wholly inside [since, until).
func hourRange(since, until *time.Time) (lo, hi int64) {
	lo, hi = minHour, maxHour
	if since != nil {
		lo = ceilDiv(since.Unix(), since.Nanosecond(), hourSeconds)
	}
	if until != nil {
		hi = until.Unix() / hourSeconds
		if until.Unix() < 0 && until.Unix()%hourSeconds != 0 {
			hi-- // floor, not truncation, before 1970
		}
	}
	return lo, hi
}

// ceilDiv is ⌈(sec+nsec·1e-9)/d⌉ for a time after 1970.
func ceilDiv(sec int64, nsec int, d int64) int64 {
	q := sec / d
	if sec < 0 {
		return q // the range starts before any row: no partial hour matters
	}
	if sec%d != 0 || nsec != 0 {
		q++
	}
	return q
}

// edges are the parts of [since, until) outside the whole hours [lo, hi),
// each counted row by row; nil bounds stay open.
func edges(since, until *time.Time, lo, hi int64) [][2]*time.Time {
	hour := func(h int64) *time.Time { t := time.Unix(h*hourSeconds, 0).UTC(); return &t }
	if lo >= hi { // no whole hour (so a bound at least): the range is one stretch
		return [][2]*time.Time{{since, until}}
	}
	var out [][2]*time.Time
	if since != nil && hour(lo).After(*since) {
		out = append(out, [2]*time.Time{since, hour(lo)})
	}
	if until != nil && until.After(*hour(hi)) {
		out = append(out, [2]*time.Time{hour(hi), until})
	}
	return out
}

// sumCounters adds up the counters of f's workspace, webhook, direction,
// outcomes and event type over the hours [lo, hi): one statement, one sum
// per counters' table (counterRanges).
func sumCounters(ctx context.Context, c *ent.Client, dialect, ws string, f *schematype.LogFilter, lo, hi int64) (int, error) {
	query, args := sumQuery(dialect, ws, f, lo, hi)
	rows, err := c.QueryContext(ctx, query, args...)
	if err != nil {
		return 0, fmt.Errorf("summing log counters: %w", err)
	}
	defer rows.Close()
	total := 0
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			return 0, fmt.Errorf("summing log counters: %w", err)
		}
		total += n
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("summing log counters: %w", err)
	}
	return total, nil
}

// counterRange is the range [lo, hi) of a counters' table's time column.
type counterRange struct {
	table, col string
	lo, hi     int64
}

// counterRanges splits the hours [lo, hi) among the counters' tables of
// dialect: on PostgreSQL the days wholly inside come from the daily table
// and only the hours around them from the hourly one; elsewhere all from
// the hourly one. An open bound (minHour, maxHour) is open in days too.
func counterRanges(d string, lo, hi int64) []counterRange {
	hourly := func(lo, hi int64) counterRange { return counterRange{CountersTable, "hour", lo, hi} }
	if sqlDialect(d) != dialect.Postgres {
		return []counterRange{hourly(lo, hi)}
	}
	dlo, dhi := -floorDiv(-lo, hoursPerDay), floorDiv(hi, hoursPerDay)
	if lo <= minHour {
		dlo = floorDiv(lo, hoursPerDay)
	}
	if hi >= maxHour {
		dhi = -floorDiv(-hi, hoursPerDay)
	}
	if dlo >= dhi {
		return []counterRange{hourly(lo, hi)}
	}
	var out []counterRange
	if lo < dlo*hoursPerDay {
		out = append(out, hourly(lo, dlo*hoursPerDay))
	}
	out = append(out, counterRange{DailyCountersTable, "day", dlo, dhi})
	if dhi*hoursPerDay < hi {
		out = append(out, hourly(dhi*hoursPerDay, hi))
	}
	return out
}

// sumQuery is sumCounters's statement in dialect: a sum per range of
// counterRanges, joined by UNION ALL.
func sumQuery(dialect, ws string, f *schematype.LogFilter, lo, hi int64) (string, []any) {
	b := entsql.Dialect(sqlDialect(dialect))
	var query *entsql.Selector
	for _, r := range counterRanges(dialect, lo, hi) {
		s := sumOne(b, r, ws, f)
		if query == nil {
			query = s
		} else {
			query.UnionAll(s)
		}
	}
	return query.Query()
}

// sumOne sums the counters of f in range r.
func sumOne(b *entsql.DialectBuilder, r counterRange, ws string, f *schematype.LogFilter) *entsql.Selector {
	t := b.Table(r.table)
	ps := []*entsql.Predicate{entsql.EQ(t.C("workspace_id"), ws), entsql.GTE(t.C(r.col), r.lo), entsql.LT(t.C(r.col), r.hi)}
	if f.WebhookID != nil {
		ps = append(ps, entsql.EQ(t.C("webhook_id"), string(*f.WebhookID)))
	}
	if f.Direction != nil {
		ps = append(ps, entsql.EQ(t.C("direction"), string(*f.Direction)))
	}
	if len(f.Outcomes) > 0 {
		outcomes := make([]any, len(f.Outcomes))
		for i, o := range f.Outcomes {
			outcomes[i] = string(o)
		}
		ps = append(ps, entsql.In(t.C("outcome"), outcomes...))
	}
	if f.EventType != nil {
		col := t.C("event_type")
		p := typeMatches(col, *f.EventType)
		if !strings.HasSuffix(*f.EventType, "*") {
			// '' keys the rows without an event, which no type matches.
			p = entsql.And(p, entsql.NEQ(col, ""))
		}
		ps = append(ps, p)
	}
	return b.Select().AppendSelectExpr(entsql.Expr("COALESCE(SUM(" + t.C("n") + "), 0)")).
		From(t).Where(entsql.And(ps...))
}
