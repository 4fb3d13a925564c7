package graph

import (
	"context"

	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/graphql"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/flowrun"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/ent/webhooklog"
	"github.com/wexio/webhooks/internal/history"
)

// logPage is a page of history, newest first, matching f. ent's Paginate
// counts every matching row whenever pageInfo or totalCount is selected;
// over a million rows that count alone is hundreds of milliseconds
// (internal/history BenchmarkFilteredPage). So the page is one indexed
// range scan of first+1 (or last+1) rows, and totalCount, when selected,
// comes from history.CountLogs's counters. The edges the page's nodes
// select are loaded with it, one query per edge rather than per row.
// Cursors are Paginate's own ({ID}). first and last come through page().
func logPage(ctx context.Context, c *ent.Client, f *schematype.LogFilter,
	after *entgql.Cursor[pulid.ID], first *int, before *entgql.Cursor[pulid.ID], last *int) (*ent.WebhookLogConnection, error) {
	sel := selected(ctx)
	conn := &ent.WebhookLogConnection{Edges: []*ent.WebhookLogEdge{}}
	if sel.totalCount {
		var err error
		if conn.TotalCount, err = history.CountLogs(ctx, c, f); err != nil {
			return nil, err
		}
	}
	q := withEdges(c.WebhookLog.Query().Where(history.LogPredicates(f)...), sel.node)
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

// withEdges eager-loads the edges named in node, the fields selected on a
// page's nodes; their resolvers use what is loaded.
func withEdges(q *ent.WebhookLogQuery, node map[string]bool) *ent.WebhookLogQuery {
	if node["webhook"] {
		q = q.WithWebhook()
	}
	if node["contact"] {
		q = q.WithContact()
	}
	if node["event"] {
		q = q.WithEvent()
	}
	if node["flowRuns"] {
		q = q.WithFlowRuns(func(q *ent.FlowRunQuery) { q.Order(ent.Asc(flowrun.FieldID)) })
	}
	return q
}

// selection is what a connection being resolved selects.
type selection struct {
	totalCount bool
	node       map[string]bool // fields of edges { node { … } }
}

func selected(ctx context.Context) selection {
	s := selection{node: map[string]bool{}}
	if graphql.GetFieldContext(ctx) == nil {
		return s
	}
	op := graphql.GetOperationContext(ctx)
	for _, f := range graphql.CollectFieldsCtx(ctx, nil) {
		switch f.Name {
		case "totalCount":
			s.totalCount = true
		case "edges":
			for _, e := range graphql.CollectFields(op, f.Selections, nil) {
				if e.Name != "node" {
					continue
				}
				for _, n := range graphql.CollectFields(op, e.Selections, nil) {
					s.node[n.Name] = true
				}
			}
		}
	}
	return s
}
