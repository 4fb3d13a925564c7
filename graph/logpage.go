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

// logPage is a page of history, newest first, matching f (history.Page):
// totalCount is counted only when selected, and the edges the page's
// nodes select are loaded with it. first and last come through page().
func (r *Resolver) logPage(ctx context.Context, f *schematype.LogFilter,
	after *entgql.Cursor[pulid.ID], first *int, before *entgql.Cursor[pulid.ID], last *int) (*ent.WebhookLogConnection, error) {
	sel := selected(ctx)
	return history.Page(ctx, r.client(ctx), r.Dialect, history.PageQuery{
		Filter: f, After: after, First: first, Before: before, Last: last,
		TotalCount: sel.totalCount,
		With:       func(q *ent.WebhookLogQuery) *ent.WebhookLogQuery { return withEdges(q, sel.node) },
	})
}

// withEdges eager-loads the edges named in node, the fields selected on a
// page's nodes; their resolvers use what is loaded. A request or response
// not selected is not read: each holds a body of up to 100 KB, and a page
// of 500 ids read them all (nine such pages in one query: 450 MB).
func withEdges(q *ent.WebhookLogQuery, node map[string]bool) *ent.WebhookLogQuery {
	if !node["request"] || !node["response"] {
		cols := make([]string, 0, len(webhooklog.Columns))
		for _, c := range webhooklog.Columns {
			if (c == webhooklog.FieldRequest && !node["request"]) || (c == webhooklog.FieldResponse && !node["response"]) {
				continue
			}
			cols = append(cols, c)
		}
		q.Select(cols...) // narrows q itself; the selector it returns is not needed
	}
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
