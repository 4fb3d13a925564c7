package history

import (
	"context"
	"errors"
	"fmt"

	"entgo.io/contrib/entgql"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/ent/webhooklog"
)

// PageQuery asks for one page of log rows, newest first: the first First
// rows after the cursor After, or the last Last rows before Before. Cursors
// are ent's Paginate's own ({ID}), so pages of logs page like any other
// list.
type PageQuery struct {
	Filter        *schematype.LogFilter
	After, Before *entgql.Cursor[pulid.ID]
	First, Last   *int // one of them, not negative
	// TotalCount asks for the number of rows matching Filter (CountLogs).
	TotalCount bool
	// With eager-loads the edges the page's rows need (nil: none), one
	// query per edge rather than per row.
	With func(*ent.WebhookLogQuery) *ent.WebhookLogQuery
}

// Page reads one page of log rows through c, whose database's SQL dialect
// is dialect (sqlDialect). ent's Paginate counts every matching row
// whenever pageInfo or totalCount is asked for; over a million rows that
// count alone is hundreds of milliseconds (BenchmarkFilteredPage). So the
// page is one indexed range scan of First+1 (or Last+1) rows, the extra
// one telling whether there is a next (previous) page, and the total, when
// asked for, comes from the counters.
func Page(ctx context.Context, c *ent.Client, dialect string, p PageQuery) (*ent.WebhookLogConnection, error) {
	conn := &ent.WebhookLogConnection{Edges: []*ent.WebhookLogEdge{}}
	n, order := 0, ent.Desc(webhooklog.FieldID)
	switch {
	case p.First != nil:
		n = *p.First
	case p.Last != nil:
		n, order = *p.Last, ent.Asc(webhooklog.FieldID)
	default:
		return nil, errors.New("history: a page needs First or Last")
	}
	if n < 0 {
		return nil, errors.New("history: a page cannot hold fewer than no rows")
	}
	if p.TotalCount {
		var err error
		if conn.TotalCount, err = CountLogs(ctx, c, dialect, p.Filter); err != nil {
			return nil, err
		}
	}
	q := c.WebhookLog.Query().Where(LogPredicates(p.Filter)...)
	if p.With != nil {
		q = p.With(q)
	}
	if p.After != nil {
		q = q.Where(webhooklog.IDLT(p.After.ID))
	}
	if p.Before != nil {
		q = q.Where(webhooklog.IDGT(p.Before.ID))
	}
	nodes, err := q.Order(order).Limit(n + 1).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading a page of log rows: %w", err)
	}
	conn.PageInfo.HasNextPage, conn.PageInfo.HasPreviousPage = p.Before != nil, p.After != nil
	if len(nodes) > n {
		nodes = nodes[:n]
		if p.First != nil {
			conn.PageInfo.HasNextPage = true
		} else {
			conn.PageInfo.HasPreviousPage = true
		}
	}
	for i := range nodes {
		node := nodes[i]
		if p.First == nil {
			node = nodes[len(nodes)-1-i] // read oldest first; shown newest first
		}
		conn.Edges = append(conn.Edges, &ent.WebhookLogEdge{Node: node, Cursor: ent.Cursor{ID: node.ID}})
	}
	if l := len(conn.Edges); l > 0 {
		conn.PageInfo.StartCursor, conn.PageInfo.EndCursor = &conn.Edges[0].Cursor, &conn.Edges[l-1].Cursor
	}
	return conn, nil
}
