package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// uncounted is ctx as ent's Paginate should see it: without pageInfo in
// the connection's selection when totalCount is not selected but edges
// are. Paginate counts every matching row whenever pageInfo is selected,
// then builds pageInfo from the page itself (it reads first+1 rows) all
// the same; over a month of events the count is most of a dashboard
// query's time (10 to 24 ms at 100k events in a soak, and linear beyond).
// With only pageInfo selected, the count is what answers it, so it stays.
func uncounted(ctx context.Context) context.Context {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || !graphql.HasOperationContext(ctx) {
		return ctx
	}
	var keep ast.SelectionSet
	var edges, total bool
	for _, f := range graphql.CollectFields(graphql.GetOperationContext(ctx), fc.Field.Selections, nil) {
		switch f.Name {
		case "totalCount":
			total = true
		case "edges":
			edges = true
		case "pageInfo":
			continue
		}
		keep = append(keep, f.Field)
	}
	if total || !edges {
		return ctx
	}
	hidden := *fc
	hidden.Field.Selections = keep // a new slice: the operation's own is shared
	return graphql.WithFieldContext(ctx, &hidden)
}
