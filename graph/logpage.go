package graph

import (
	"context"
	"time"

	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/graphql"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/ent/webhooklog"
	"github.com/wexio/webhooks/internal/history"
)

// logPage is a page of history, newest first, matching f (q is f's query).
// ent's Paginate counts every matching row whenever pageInfo or totalCount
// is selected; over a million rows that count alone is hundreds of
// milliseconds (internal/history BenchmarkFilteredPage). So the page is one
// indexed range scan of first+1 (or last+1) rows, and totalCount, when
// selected, comes from history.CountLogs's counters. Cursors are
// Paginate's own ({ID}).
func logPage(ctx context.Context, c *ent.Client, f *schematype.LogFilter, q *ent.WebhookLogQuery,
	after *entgql.Cursor[pulid.ID], first *int, before *entgql.Cursor[pulid.ID], last *int) (*ent.WebhookLogConnection, error) {
	total := 0
	if wantsTotalCount(ctx) {
		var err error
		if total, err = history.CountLogs(ctx, c, f); err != nil {
			return nil, err
		}
	}
	if first == nil && last == nil {
		first = new(DefaultPageSize)
	}
	if after != nil {
		q = q.Where(webhooklog.IDLT(after.ID))
	}
	if before != nil {
		q = q.Where(webhooklog.IDGT(before.ID))
	}
	n, order := 0, ent.Desc(webhooklog.FieldID)
	if first != nil {
		n = *first
	} else {
		n, order = *last, ent.Asc(webhooklog.FieldID)
	}
	nodes, err := q.Order(order).Limit(n + 1).All(ctx)
	if err != nil {
		return nil, err
	}
	conn := &ent.WebhookLogConnection{Edges: []*ent.WebhookLogEdge{}, TotalCount: total}
	conn.PageInfo.HasNextPage, conn.PageInfo.HasPreviousPage = before != nil, after != nil
	if len(nodes) > n {
		nodes = nodes[:n]
		if first != nil {
			conn.PageInfo.HasNextPage = true
		} else {
			conn.PageInfo.HasPreviousPage = true
		}
	}
	for i := range nodes {
		node := nodes[i]
		if last != nil {
			node = nodes[len(nodes)-1-i] // fetched oldest first; shown newest first
		}
		conn.Edges = append(conn.Edges, &ent.WebhookLogEdge{Node: node, Cursor: ent.Cursor{ID: node.ID}})
	}
	if l := len(conn.Edges); l > 0 {
		conn.PageInfo.StartCursor, conn.PageInfo.EndCursor = &conn.Edges[0].Cursor, &conn.Edges[l-1].Cursor
	}
	return conn, nil
}

// wantsTotalCount reports whether the connection being resolved selects
// totalCount.
func wantsTotalCount(ctx context.Context) bool {
	if graphql.GetFieldContext(ctx) == nil {
		return false
	}
	for _, f := range graphql.CollectFieldsCtx(ctx, nil) {
		if f.Name == "totalCount" {
			return true
		}
	}
	return false
}

// ofWebhook is where narrowed to the webhook id: a filter naming another
// webhook matches nothing, which an impossible time range expresses.
func ofWebhook(where *schematype.LogFilter, id pulid.ID) *schematype.LogFilter {
	f := schematype.LogFilter{}
	if where != nil {
		f = *where
	}
	if f.WebhookID != nil && *f.WebhookID != id {
		never := time.Unix(0, 0).UTC()
		f.Since, f.Until = &never, &never
	}
	f.WebhookID = &id
	return &f
}
