package history

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/tenant"
)

// CountLogs counts the log rows of the workspace in ctx that match f, as
// LogPredicates would select them. Whole hours of the time range are summed
// from the log_counts counters (internal/db); only the partial hours at its
// ends are counted row by row, so a count over a million rows reads a few
// hundred counters and at most two hours of rows. c must see committed data
// consistently with the page it counts for (the read client, or the
// transaction's).
func CountLogs(ctx context.Context, c *ent.Client, f *schematype.LogFilter) (int, error) {
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
		n, err := sumCounters(ctx, c, ws, f, lo, hi)
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

// Hours are unix hours: hour h holds occurred_at in [h·3600 s, (h+1)·3600 s).
const (
	minHour = -1 << 40
	maxHour = 1 << 40
)

// hourRange is the range [lo, hi) of hours wholly inside [since, until).
func hourRange(since, until *time.Time) (lo, hi int64) {
	lo, hi = minHour, maxHour
	if since != nil {
		lo = ceilDiv(since.Unix(), since.Nanosecond(), 3600)
	}
	if until != nil {
		hi = until.Unix() / 3600
		if until.Unix() < 0 && until.Unix()%3600 != 0 {
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
	hour := func(h int64) *time.Time { t := time.Unix(h*3600, 0).UTC(); return &t }
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
// outcomes and event type over the hours [lo, hi).
func sumCounters(ctx context.Context, c *ent.Client, ws string, f *schematype.LogFilter, lo, hi int64) (int, error) {
	var where strings.Builder
	where.WriteString("workspace_id = ? AND hour >= ? AND hour < ?")
	args := []any{ws, lo, hi}
	if f.WebhookID != nil {
		where.WriteString(" AND webhook_id = ?")
		args = append(args, string(*f.WebhookID))
	}
	if f.Direction != nil {
		where.WriteString(" AND direction = ?")
		args = append(args, string(*f.Direction))
	}
	if len(f.Outcomes) > 0 {
		where.WriteString(" AND outcome IN (?" + strings.Repeat(", ?", len(f.Outcomes)-1) + ")")
		for _, o := range f.Outcomes {
			args = append(args, string(o))
		}
	}
	if f.EventType != nil {
		switch prefix, ok := strings.CutSuffix(*f.EventType, "*"); {
		case ok && prefix == "":
			where.WriteString(" AND event_type <> ''")
		case ok:
			lo, hi := prefixRange(prefix)
			where.WriteString(" AND event_type >= ? AND event_type < ?")
			args = append(args, lo, hi)
		default:
			// '' keys the rows without an event, which no type matches.
			where.WriteString(" AND event_type = ? AND event_type <> ''")
			args = append(args, *f.EventType)
		}
	}
	rows, err := c.QueryContext(ctx, "SELECT COALESCE(SUM(n), 0) FROM log_counts WHERE "+where.String(), args...)
	if err != nil {
		return 0, fmt.Errorf("summing log counters: %w", err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		if err := rows.Scan(&n); err != nil {
			return 0, fmt.Errorf("summing log counters: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("summing log counters: %w", err)
	}
	return n, nil
}
