package graph

import (
	"context"

	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/graphql"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/webhooklog"
)

// logPage is a page of history, newest first. ent's Paginate counts every
// matching row whenever pageInfo is selected; over a million rows that
// count alone is hundreds of milliseconds (internal/history
// BenchmarkFilteredPage), so the page is built here from one indexed range
// scan of first+1 (or last+1) rows, and the count runs only when
// totalCount is asked for. Cursors are Paginate's own ({ID}), so both
// paths read each other's.
func logPage(ctx context.Context, q *ent.WebhookLogQuery, after *entgql.Cursor[pulid.ID], first *int,
	before *entgql.Cursor[pulid.ID], last *int) (*ent.WebhookLogConnection, error) {
	if wantsTotalCount(ctx) || (first == nil && last == nil) {
		return q.Paginate(ctx, after, first, before, last, ent.WithWebhookLogOrder(newestLogs))
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
	conn := &ent.WebhookLogConnection{Edges: []*ent.WebhookLogEdge{}}
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
		return true
	}
	for _, f := range graphql.CollectFieldsCtx(ctx, nil) {
		if f.Name == "totalCount" {
			return true
		}
	}
	return false
}
