package graph

import (
	"fmt"
	"testing"

	"github.com/wexio/webhooks/internal/verify"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"
)

// cost parses and validates query against the schema, as gqlgen does,
// and counts it.
func cost(t *testing.T, query string, vars map[string]any) int64 {
	t.Helper()
	doc, err := gqlparser.LoadQuery(NewExecutableSchema(Config{}).Schema(), query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return operationCost(&graphql.OperationContext{Operation: doc.Operations[0], Variables: vars})
}

// TestCostCountsNodesAsGitHubDoes: the contract's examples, and what must
// not change a count: scalar fields, fragments instead of inline
// selections, a page size given as a variable.
func TestCostCountsNodesAsGitHubDoes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		query string
		vars  map[string]any
		want  int64
	}{
		{"events page with deliveries and their attempts", `{ events(first: 100) { edges { node { id type
			deliveries { id status logs { id outcome statusCode } } } } } }`, nil, 11_100},
		{"webhooks with their logs", `{ webhooks(first: 100) { totalCount pageInfo { hasNextPage }
			edges { node { id logs(first: 50) { totalCount edges { node { id } } } } } } }`, nil, 5_100},
		{"nested full pages", `{ webhooks(first: 500) { edges { node { logs(first: 500) { edges { node { id } } } } } } }`, nil, 250_500},
		{"default page size", `{ webhookLogs { edges { node { id } } } }`, nil, 50},
		{"page size in a variable", `query($n: Int) { webhookLogs(first: $n) { edges { node { id } } } }`, map[string]any{"n": int64(7)}, 7},
		{"last", `{ webhookLogs(last: 20) { edges { node { id } } } }`, nil, 20},
		{"the presets, as many as there are", `{ authPresets { key } }`, nil, int64(len(verify.Presets()))},
		{"aliased presets add up", `{ a: authPresets { key } b: authPresets { key } }`, nil, 2 * int64(len(verify.Presets()))},
		{"nodes by id", `{ nodes(ids: ["a", "b", "c"]) { id } }`, nil, 3},
		{"fragments count as their selections", `{ webhooks(first: 100) { ...page } }
			fragment page on WebhookConnection { edges { node { ...hook } } }
			fragment hook on Webhook { logs(first: 50) { edges { node { id } } } }`, nil, 5_100},
	} {
		if got := cost(t, tc.query, tc.vars); got != tc.want {
			t.Errorf("%s: cost %d, want %d", tc.name, got, tc.want)
		}
	}
	// A scalar more never changes the count.
	base := `{ webhookLogs(first: 500) { edges { node { id %s } } } }`
	if a, b := cost(t, fmt.Sprintf(base, ""), nil), cost(t, fmt.Sprintf(base, "outcome statusCode durationMs error"), nil); a != b {
		t.Errorf("scalar fields changed the cost: %d, %d", a, b)
	}
}

// TestCostOfADeepQueryStopsAtTheCeiling: a count far past the limit stays
// a number (no overflow), and is refused.
func TestCostOfADeepQueryStopsAtTheCeiling(t *testing.T) {
	t.Parallel()
	q := "id"
	for range 6 {
		q = "logs(first: 500) { edges { node { webhook { " + q + " } } } }"
	}
	q = "{ webhooks(first: 500) { edges { node { " + q + " } } } }"
	if got := cost(t, q, nil); got != costCeiling {
		t.Fatalf("cost %d, want the ceiling %d", got, int64(costCeiling))
	}
}
