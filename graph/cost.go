package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/wexio/webhooks/internal/verify"
)

// Page sizes of connections.
const (
	DefaultPageSize = 50
	MaxPageSize     = 500
	// listFactor is what an unpaginated list counts for (a delivery's
	// attempts, an event's deliveries, a log's runs): they are short.
	listFactor = 10
)

// PayloadWeight is what a field carrying a payload counts for, in nodes,
// per row it is read on (payloadField lists them): a log's request or
// response (a body of up to 100 KB and 16 KB of headers), a captured
// schema's sample, an event's data. A node is otherwise a few hundred
// bytes, and rows of bodies are what made answers of hundreds of
// megabytes: at 200, webhookLogs(first: 100) with each log's request and
// response bodies costs 40,100 and runs, the same at first: 500 costs
// 200,500 and is refused, and no query reads more than 250 bodies.
const PayloadWeight = 200

// payloadField reports whether field of object carries a payload.
func payloadField(object, field string) bool {
	switch object {
	case "WebhookLog":
		return field == "request" || field == "response"
	case "WebhookSchema":
		return field == "sample"
	case "Event":
		return field == "data"
	}
	return false
}

// CostLimit is the most nodes one operation may ask for.
const CostLimit = 50_000

// CodeCostLimit is the code of an operation refused for its cost.
const CodeCostLimit = "COMPLEXITY_LIMIT_EXCEEDED"

// costCeiling stops a count long past any limit, before it overflows.
const costCeiling = 1 << 40

// Cost is the gqlgen extension that counts the nodes an operation may
// return, as GitHub counts them: each connection its first or last
// (DefaultPageSize without either) times the nodes of its parent, each
// unpaginated list listFactor times its parent's (nodes(ids:) the ids it
// names, authPresets the presets there are), each field carrying a
// payload PayloadWeight per node of its parent (a log's request and
// response, a schema's sample, an event's data: webhookLogs(first: 100)
// with request and response bodies is 40,100 and runs; at first: 500 it
// is 200,500 and is refused). An operation over CostLimit is refused
// before it runs, saying its cost and the limit; every answer says what
// its query cost in extensions.cost, {"requested": N, "limit": CostLimit}.
// Other scalar fields cost nothing: adding one to a query never gets it
// refused.
type Cost struct{}

var (
	_ graphql.HandlerExtension     = Cost{}
	_ graphql.OperationInterceptor = Cost{}
)

// ExtensionName implements graphql.HandlerExtension.
func (Cost) ExtensionName() string { return "NodeCost" }

// Validate implements graphql.HandlerExtension.
func (Cost) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptOperation implements graphql.OperationInterceptor.
func (Cost) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	oc := graphql.GetOperationContext(ctx)
	n := operationCost(oc)
	if n > CostLimit {
		shown := fmt.Sprint(n)
		if n >= costCeiling {
			shown = "over " + fmt.Sprint(costCeiling)
		}
		return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{{
			Message: fmt.Sprintf("query cost %s exceeds the limit of %d nodes: ask for smaller pages (first/last) or fewer nested lists",
				shown, CostLimit),
			Extensions: map[string]any{"code": CodeCostLimit, "cost": costExtension(n)},
		}}})
	}
	h := next(ctx)
	if oc.Operation.Operation == ast.Subscription {
		// A subscription's frames are events, not answers: a map and its
		// encoding on each of a live tail's thousands of frames a second
		// cost the subscribers their share of the CPU.
		return h
	}
	return func(ctx context.Context) *graphql.Response {
		resp := h(ctx)
		if resp != nil {
			if resp.Extensions == nil {
				resp.Extensions = map[string]any{}
			}
			resp.Extensions["cost"] = costExtension(n)
		}
		return resp
	}
}

func costExtension(n int64) map[string]any {
	return map[string]any{"requested": n, "limit": CostLimit}
}

// operationCost is the node count of oc's operation.
func operationCost(oc *graphql.OperationContext) int64 {
	if oc == nil || oc.Operation == nil {
		return 0
	}
	c := &coster{vars: oc.Variables, fragments: map[fragmentKey]int64{}}
	return c.set(oc.Operation.SelectionSet, false)
}

type fragmentKey struct {
	name         string
	inConnection bool
}

// coster counts nodes; a fragment's count is taken once per place it can
// be (inside a connection or not), since counts scale with the parent's.
type coster struct {
	vars      map[string]any
	fragments map[fragmentKey]int64
}

// set is the nodes that selections ask for per node of their parent;
// inConnection: the parent is a connection, whose edges and nodes are the
// nodes it already counted.
func (c *coster) set(sels ast.SelectionSet, inConnection bool) int64 {
	var total int64
	for _, sel := range sels {
		switch s := sel.(type) {
		case *ast.Field:
			total = capped(total + c.field(s, inConnection))
		case *ast.InlineFragment:
			total = capped(total + c.set(s.SelectionSet, inConnection))
		case *ast.FragmentSpread:
			if s.Definition == nil {
				continue
			}
			key := fragmentKey{s.Name, inConnection}
			n, ok := c.fragments[key]
			if !ok {
				n = c.set(s.Definition.SelectionSet, inConnection)
				c.fragments[key] = n
			}
			total = capped(total + n)
		}
	}
	return total
}

// field is the nodes f asks for per node of its parent, its own included.
func (c *coster) field(f *ast.Field, inConnection bool) int64 {
	if f.Definition != nil && f.ObjectDefinition != nil && payloadField(f.ObjectDefinition.Name, f.Name) {
		return PayloadWeight // its selections, if any, are a payload's scalars
	}
	if f.Definition == nil || len(f.SelectionSet) == 0 {
		return 0 // a scalar, or a field validation did not resolve
	}
	t := f.Definition.Type
	switch {
	case isConnection(t):
		n := c.pageSize(f)
		return capped(n + mul(n, c.set(f.SelectionSet, true)))
	case t.Elem != nil && inConnection && (f.Name == "edges" || f.Name == "nodes"):
		return c.set(f.SelectionSet, false) // the connection's own nodes
	case t.Elem != nil:
		n := int64(listFactor)
		if ids, ok := f.ArgumentMap(c.vars)["ids"].([]any); ok {
			n = int64(len(ids))
		} else if f.ObjectDefinition != nil && f.ObjectDefinition.Name == "Query" && f.Name == "authPresets" {
			n = int64(len(verify.Presets())) // the one long unpaginated list
		}
		return capped(n + mul(n, c.set(f.SelectionSet, false)))
	default:
		return c.set(f.SelectionSet, false)
	}
}

// pageSize is the rows a connection field asks for: first, else last,
// else DefaultPageSize. Sizes over MaxPageSize are refused by the
// resolvers (BAD_USER_INPUT); here they count as asked.
func (c *coster) pageSize(f *ast.Field) int64 {
	args := f.ArgumentMap(c.vars)
	for _, name := range []string{"first", "last"} {
		if v, ok := args[name]; ok && v != nil {
			switch n := v.(type) {
			case int64:
				return max(n, 0)
			case int:
				return int64(max(n, 0))
			case float64:
				return int64(max(n, 0))
			case json.Number:
				if i, err := n.Int64(); err == nil {
					return max(i, 0)
				}
			}
		}
	}
	return DefaultPageSize
}

// isConnection reports whether t is a Relay connection type.
func isConnection(t *ast.Type) bool {
	return t.Elem == nil && strings.HasSuffix(t.NamedType, "Connection")
}

func mul(a, b int64) int64 {
	if a != 0 && b > costCeiling/a {
		return costCeiling
	}
	return capped(a * b)
}

func capped(n int64) int64 { return min(n, costCeiling) }
