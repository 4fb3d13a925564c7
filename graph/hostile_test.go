package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/lexer"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator/rules"

	"github.com/wexio/webhooks/ent"
)

// TestAttackDocumentsAreRefused: each finding of the attack table is
// refused with its code, in an answer of a few hundred bytes. How fast is
// BenchmarkCostCheck's business.
func TestAttackDocumentsAreRefused(t *testing.T) {
	t.Parallel()
	h := newTestHandler(t, HandlerOptions{})
	for _, tc := range []struct {
		name, query, code, bound string
	}{
		{"fragment fan-out 2^24", fanOutDoc(24), CodeCostLimit, "expandedSelections"},
		{"9,000 aliases of authPresets", presetAliasesDoc(9_000), CodeCostLimit, "selections"},
		{"9 pages of 500 logs with bodies", bodiesDoc(9, 500, "request { body }"), CodeCostLimit, ""},
		{"6,000 chained fragments", chainDoc(6_000), CodeCostLimit, "fragments"},
		{"5,000 aliased createContact", mutationAliasesDoc(5_000), CodeBadUserInput, "mutations"},
		{"5,000 unknown fields", unknownFieldsDoc(5_000), CodeCostLimit, "objectSelections"},
	} {
		a := post(t, h, requestBody(tc.query, nil))
		if a.code() != tc.code || len(a.Errors) != 1 || string(a.Data) != "null" {
			t.Errorf("%s: want one %s error and no data, got %.400s", tc.name, tc.code, a.Raw)
			continue
		}
		if bound, _ := a.Errors[0].Extensions["bound"].(string); bound != tc.bound {
			t.Errorf("%s: refused for %q, want %q: %s", tc.name, bound, tc.bound, a.Raw)
		}
		if a.Size > 1_000 {
			t.Errorf("%s: a %d-byte refusal", tc.name, a.Size)
		}
	}
}

// TestUnknownFieldsAnswerIsCapped: 5,000 unknown fields (28 KB) once drew
// a 739 KB answer. Refused now for selecting more on one object than
// MaxObjectSelections, they are spread over several objects here, to
// show validation's errors go through Requests' cap too.
func TestUnknownFieldsAnswerIsCapped(t *testing.T) {
	t.Parallel()
	h := newTestHandler(t, HandlerOptions{})
	a := post(t, h, requestBody(spreadOut(MaxQuerySelections-6, func(i int) string { return fmt.Sprintf("f%d", i) }), nil))
	if len(a.Errors) != MaxErrors+1 || a.Errors[MaxErrors].Extensions["code"] != "TOO_MANY_ERRORS" ||
		a.Errors[MaxErrors].Message != fmt.Sprintf("%d more errors left out", MaxQuerySelections-6-MaxErrors) {
		t.Fatalf("%d errors, want %d and TOO_MANY_ERRORS: %.300s", len(a.Errors), MaxErrors+1, a.Raw)
	}
	if a.code() != "GRAPHQL_VALIDATION_FAILED" || a.Size > 16<<10 {
		t.Fatalf("answer of %d bytes (want under 16 KB), code %s", a.Size, a.code())
	}
	// Long names once made suggestions an edit distance to every name, and
	// each error repeated its name whole.
	for _, doc := range []string{longNamesDoc(), longTypesDoc(), longInputFieldsDoc()} {
		a := post(t, h, requestBody(doc, nil))
		if a.code() != "GRAPHQL_VALIDATION_FAILED" || a.Size > 80<<10 || strings.Contains(a.Raw, "Did you mean") {
			t.Fatalf("a document of long unknown names: %d bytes: %.300s", a.Size, a.Raw)
		}
	}
}

// TestDocumentLimitsRefuseEachBound: one document past each bound, and
// one just within it.
func TestDocumentLimitsRefuseEachBound(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, query, bound string
	}{
		{"tokens", "{ __typename " + strings.Repeat("# c\n", MaxQueryTokens) + "}", "tokens"},
		{"fragments", "{ ...f0 }" + repeat(MaxQueryFragments+1, func(i int) string {
			return fmt.Sprintf(" fragment f%d on Query { __typename }", i)
		}), "fragments"},
		{"selections", spreadOut(MaxQuerySelections, func(i int) string { return fmt.Sprintf("f%d", i) }), "selections"},
		{"fields of one object", unknownFieldsDoc(MaxObjectSelections + 1), "objectSelections"},
		{"fields of one object through fragments", "{ ...f0 }" + repeat(20, func(i int) string {
			return fmt.Sprintf(" fragment f%d on Query { %s ...f%d }", i, repeat(10, func(j int) string { return fmt.Sprintf("a%d_%d: __typename ", i, j) }), i+1)
		}) + " fragment f20 on Query { __typename }", "objectSelections"},
		{"depth as written", "{ " + strings.Repeat("... { ", MaxQueryDepth) + "__typename" + strings.Repeat(" }", MaxQueryDepth) + " }", "depth"},
		{"depth with fragments", "{ webhookLogs(first: 1) { edges { node { webhook { ...f0 } } } } }" + repeat(6, func(i int) string {
			return fmt.Sprintf(" fragment f%d on Webhook { logs(first: 1) { edges { node { webhook { ...f%d } } } } }", i, i+1)
		}) + " fragment f6 on Webhook { id }", "depth"},
		{"depth of a value", `{ webhooks(where: ` + strings.Repeat("{not: ", MaxQueryDepth) + "{}" + strings.Repeat("}", MaxQueryDepth) + `) { totalCount } }`, "depth"},
		{"arguments", "{ webhooks(" + repeat(MaxFieldArguments+1, func(i int) string { return fmt.Sprintf("a%d: 1 ", i) }) + ") { totalCount } }", "arguments"},
		{"variables", "query(" + repeat(MaxFieldArguments+1, func(i int) string { return fmt.Sprintf("$v%d: Int ", i) }) + ") { __typename }", "arguments"},
		{"expanded", fanOutDoc(14), "expandedSelections"},
		{"merge comparisons", sameFieldsDoc(300), "mergeComparisons"},
		{"spread comparisons", spreadTogetherDoc(99, 40), "spreadComparisons"},
		{"fragment walk", walkDoc(50, 45), "fragmentWalk"},
		{"fragment cycle", "{ ...a } fragment a on Query { ...b } fragment b on Query { ...a }", "fragmentCycle"},
		{"root mutations", mutationAliasesDoc(MaxRootMutations + 1), "mutations"},
	} {
		err := checkDocument(tc.query)
		if err == nil || err.bound != tc.bound {
			t.Errorf("%s: refused for %v, want %s", tc.name, err, tc.bound)
		}
	}
	for _, tc := range []struct{ name, query string }{
		{"tokens", "{ __typename " + strings.Repeat("# c\n", MaxQueryTokens-3) + "}"},
		{"selections", spreadOut(MaxQuerySelections-6, func(i int) string { return fmt.Sprintf("f%d", i) })},
		{"fields of one object", unknownFieldsDoc(MaxObjectSelections)},
		{"fragments", "{ ...f0 }" + repeat(MaxQueryFragments, func(i int) string { return fmt.Sprintf(" fragment f%d on Query { __typename }", i) })},
		{"depth", deepestDoc()},
		{"same fields, aliased", "{" + repeat(900, func(i int) string { return fmt.Sprintf(" v%d: viewer { workspace { id } }", i) }) + " }"},
		{"root mutations", mutationAliasesDoc(MaxRootMutations)},
		{"relay", relayDoc()},
		{"introspection", introspectionQuery},
		{"introspection, deeper", deepIntrospectionQuery},
	} {
		if err := checkDocument(tc.query); err != nil {
			t.Errorf("%s: refused: %s", tc.name, err.msg)
		}
	}
}

// TestRealDocumentsRun: the introspection queries GraphiQL and
// graphql-codegen send, an application's document of 60 fragments, and
// the deepest query the bounds allow all run.
func TestRealDocumentsRun(t *testing.T) {
	t.Parallel()
	h := newTestHandler(t, HandlerOptions{})
	h.seedLogs(t, 3, `{"a":1}`)
	for name, q := range map[string]string{
		"introspection":         introspectionQuery,
		"introspection, deeper": deepIntrospectionQuery,
		"relay":                 relayDoc(),
		"deepest":               deepestDoc(),
	} {
		a := post(t, h, requestBody(q, map[string]any{"n": 20}))
		if len(a.Errors) > 0 || a.Status != http.StatusOK || len(a.Data) < 10 {
			t.Errorf("%s: %d %.400s", name, a.Status, a.Raw)
		}
	}
}

// TestScannerReadsWhatTheParserReads: the scanner leaves a document to the
// parser only when the parser refuses it, and reads every valid one; a
// scanner stricter than the parser would let a document through unread.
func TestScannerReadsWhatTheParserReads(t *testing.T) {
	t.Parallel()
	for _, q := range scannerCorpus() {
		scannerAgreesWithParser(t, q)
	}
}

func scannerCorpus() []string {
	return []string{
		introspectionQuery, relayDoc(), deepestDoc(), chainDoc(3), fanOutDoc(3), mutationAliasesDoc(3),
		`query Q($a: Int = 3, $b: [String!]! = ["x"], $c: WebhookWhereInput = {nameContains: "x", or: [{name: "y"}]}) @dir(x: 1) {
			w: webhooks(first: $a, where: $c) @include(if: true) { edges { node { ... on Webhook @skip(if: false) { id } ...F } } } }
		fragment F on Webhook @dir { id, name }`,
		`{ a: node(id: "x") { ... { id } ... @include(if: true) { id } ... on Webhook { name } } }`,
		`subscription S { webhookLogTail { id } }`,
		`mutation M { createContact(input: {name: """block "string" """, attributes: {a: [1, 2.5e3, true, null, ENUM, $v]}}) { id } }`,
		`{ on: viewer { on: workspace { id } } }`, `{ fragment: viewer { query: workspace { id } } }`,
		`{}`, `{ a }}`, `{ a(`, `{ ... }`, `{ ...on }`, `fragment on on on { a }`, `query { a(b: {c: [}) }`,
		`{ a @ }`, `{ "a" }`, `type Query { a: Int }`, `{ a: }`, `{ a { } }`, `query ($a: Int = ) { a }`,
		`{ a(b: 1 }`, `{ a(b: [1) }`, "{ a \x00 }", `{ a(b: "unterminated) }`, `fragment f on T { a } fragment`,
		`query (` + strings.Repeat("(", 30) + `) { a }`, `{ a(b: $) }`, `{ a(: 1) }`, `{ ... on { a } }`,
	}
}

// scannerAgreesWithParser fails t when the scanner gave up on a document
// gqlparser parses.
func scannerAgreesWithParser(t *testing.T, q string) {
	t.Helper()
	s := &docScanner{lex: lexer.New(&ast.Source{Input: q}), frags: map[string]int32{}}
	s.document()
	_, err := parser.ParseQuery(&ast.Source{Input: q})
	if s.unreadable && s.refused == nil && err == nil {
		t.Errorf("the scanner could not read a document the parser reads: %.300q", q)
	}
}

// TestPayloadsCostPerRow: a log's request and response, a schema's sample
// and an event's data count PayloadWeight per row; the contract's
// examples hold.
func TestPayloadsCostPerRow(t *testing.T) {
	t.Parallel()
	page := func(first int) string {
		return fmt.Sprintf(`{ webhookLogs(first: %d) { edges { node { request { body } response { body } } } } }`, first)
	}
	if got, want := cost(t, page(100), nil), int64(100+100*2*PayloadWeight); got != want || got > CostLimit {
		t.Errorf("first: 100 with request and response bodies: cost %d, want %d, within %d", got, want, CostLimit)
	}
	if got := cost(t, page(500), nil); got <= CostLimit {
		t.Errorf("first: 500 with request and response bodies: cost %d, not refused", got)
	}
	for q, want := range map[string]int64{
		`{ webhookLogs(first: 10) { edges { node { id request { method } } } } }`:     10 + 10*PayloadWeight,
		`{ events(first: 10) { edges { node { data } } } }`:                           10 + 10*PayloadWeight,
		`{ webhooks(first: 2) { edges { node { schemas { version sample } } } } }`:    2 + 2*(listFactor+listFactor*PayloadWeight),
		`{ node(id: "x") { ... on WebhookLog { response { headers } } } }`:            PayloadWeight,
		`{ webhookLogs(first: 10) { edges { node { id outcome webhook { id } } } } }`: 10,
	} {
		if got := cost(t, q, nil); got != want {
			t.Errorf("%s: cost %d, want %d", q, got, want)
		}
	}
}

// TestEveryListHasABound: each list field of the schema costs by one of
// the rules, written down here; a list field added to the schema fails
// this until someone says how long it can be.
func TestEveryListHasABound(t *testing.T) {
	t.Parallel()
	rules := map[string]string{
		"Query.nodes":                "the ids it names",
		"Query.authPresets":          "the presets there are (verify.Presets)",
		"Query.eventTypes":           "scalars: the catalogue and the flows' event names",
		"Delivery.logs":              "listFactor: a delivery's attempts, at most maxRetries+1",
		"Event.deliveries":           "listFactor: one per webhook subscribed to the event",
		"Flow.steps":                 "listFactor: a flow's steps",
		"FlowRun.steps":              "listFactor: one per step of its flow",
		"WebhookLog.flowRuns":        "listFactor: the flows its webhook triggers",
		"Webhook.schemas":            "listFactor: captured versions",
		"WebhookSchema.fields":       "listFactor: up to capture.MaxFields (1,000) small rows; the answer budget bounds them",
		"Webhook.variables":          "scalars: free",
		"OutboundSettings.events":    "scalars: free",
		"ChatConnection.edges":       "connection: its page",
		"ContactConnection.edges":    "connection: its page",
		"EventConnection.edges":      "connection: its page",
		"FlowConnection.edges":       "connection: its page",
		"FlowRunConnection.edges":    "connection: its page",
		"MessageConnection.edges":    "connection: its page",
		"WebhookConnection.edges":    "connection: its page",
		"WebhookLogConnection.edges": "connection: its page",
	}
	for name, def := range NewExecutableSchema(Config{}).Schema().Types {
		if (def.Kind != ast.Object && def.Kind != ast.Interface) || strings.HasPrefix(name, "__") {
			continue
		}
		for _, f := range def.Fields {
			if f.Type.Elem == nil || strings.HasPrefix(f.Name, "__") {
				continue
			}
			if _, ok := rules[name+"."+f.Name]; !ok {
				t.Errorf("%s.%s is a list no cost rule names: add it to cost.go and to this table", name, f.Name)
			}
		}
	}
}

// TestAnswerPastItsBudgetIsOneError: a page whose bodies pass the budget
// is answered with RESPONSE_TOO_LARGE alone and no data, at the real 16 MiB
// and at a small budget; a page within it is answered whole.
func TestAnswerPastItsBudgetIsOneError(t *testing.T) {
	t.Parallel()
	body := strings.Repeat("b", 100<<10)
	for _, tc := range []struct {
		budget int64
		rows   int
		first  int
	}{
		{0, 200, 200},     // 20 MB of bodies past the 16 MiB budget
		{1 << 20, 20, 20}, // 2 MB past 1 MiB
	} {
		h := newTestHandler(t, HandlerOptions{MaxAnswerBytes: tc.budget})
		h.seedLogs(t, tc.rows, body)
		a := post(t, h, requestBody(fmt.Sprintf(`{ webhookLogs(first: %d) { edges { node { id request { body } } } } }`, tc.first), nil))
		if a.code() != CodeResponseTooLarge || len(a.Errors) != 1 || string(a.Data) != "null" || a.Size > 1_000 {
			t.Fatalf("budget %d: %d bytes: %.400s", tc.budget, a.Size, a.Raw)
		}
		if !strings.Contains(a.Errors[0].Message, "first/last") {
			t.Errorf("the message does not say what to do: %s", a.Errors[0].Message)
		}
		small := post(t, h, requestBody(`{ webhookLogs(first: 5) { edges { node { id request { body } } } } }`, nil))
		if len(small.Errors) > 0 || small.Size < 5*len(body) {
			t.Fatalf("budget %d: a page within it: %d bytes: %.300s", tc.budget, small.Size, small.Raw)
		}
	}
}

// TestAnswerBytesCountsWhatIsWritten: strings exactly as gqlgen quotes
// them, JSON values about as encoding/json writes them.
func TestAnswerBytesCountsWhatIsWritten(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", "plain", "a\"\\\n\r\t\x01\x1fé<>&\u2028", strings.Repeat("\x00", 100)} {
		var buf bytes.Buffer
		graphql.MarshalString(s).MarshalGQL(&buf)
		if got := answerBytes(s); got != int64(buf.Len()) {
			t.Errorf("answerBytes(%q) = %d, written %d", s, got, buf.Len())
		}
		if got := answerBytes(&s); got != int64(buf.Len()) {
			t.Errorf("answerBytes(&%q) = %d, written %d", s, got, buf.Len())
		}
	}
	for _, v := range []any{
		map[string]any{"k": []any{"<\xff\u2028", json.Number("1.5"), nil, true, map[string]any{}}},
		[]any{strings.Repeat("x", 1000)},
		json.RawMessage(`{"a": [1, 2]}`),
	} {
		var buf bytes.Buffer
		graphql.MarshalAny(v).MarshalGQL(&buf)
		if got, written := answerBytes(v), int64(buf.Len()); got < written-1 || got > written+16 {
			t.Errorf("answerBytes(%v) = %d, written %d", v, got, written)
		}
	}
}

// TestLeftOperationResolvesNothingMore: once the request's context ends
// (net/http ends it when the client goes away), no field resolves: the
// database sees no query past the one under way. Each level of logs →
// webhook → logs waits for the one above, so the count is exact. The
// document's padding (viewer's workspace) resolves beside the chain, at
// the root: its queries are neither counted nor where the client leaves.
func TestLeftOperationResolvesNothingMore(t *testing.T) {
	t.Parallel()
	h := newTestHandler(t, HandlerOptions{})
	h.seedLogs(t, 3, "{}")
	q := deepestDoc()
	if a := post(t, h, requestBody(q, nil)); len(a.Errors) > 0 {
		t.Fatalf("the query fails on its own: %.300s", a.Raw)
	}
	var queries, afterCancel atomic.Int64
	var cancel atomic.Pointer[context.CancelFunc]
	h.st.Read.Intercept(ent.InterceptFunc(func(next ent.Querier) ent.Querier {
		return ent.QuerierFunc(func(ctx context.Context, q ent.Query) (ent.Value, error) {
			c := cancel.Load()
			if _, padding := q.(*ent.WorkspaceQuery); c != nil && !padding {
				if queries.Add(1) == 1 {
					(*c)() // the client leaves while the first query runs
				} else {
					afterCancel.Add(1)
				}
			}
			// Queries issued run to their end, so that only the server's
			// own checks stop what follows.
			return next.Query(context.WithoutCancel(ctx), q)
		})
	}))
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	cancel.Store(&stop)
	req := httptest.NewRequest(http.MethodPost, "/query", strings.NewReader(string(requestBody(q, nil)))).WithContext(ctx)
	req.Header.Set("Content-Type", "application/json")
	h.ServeHTTP(httptest.NewRecorder(), req)
	// The first resolver reads its page and eager-loads the logs' webhooks
	// with it: at most one more query, then nothing.
	if queries.Load() == 0 {
		t.Fatal("the chain sent no query: the client never left")
	}
	if n := afterCancel.Load(); n > 1 {
		t.Fatalf("%d queries after the client left (of %d)", n, queries.Load())
	}
}

// TestValidationRulesAreGqlparsersWithoutSuggestions: the rule set is the
// default one, by name, so replacing three rules dropped none.
func TestValidationRulesAreGqlparsersWithoutSuggestions(t *testing.T) {
	t.Parallel()
	got, want := validationRules().GetInner(), rules.NewDefaultRules().GetInner()
	for name := range want {
		if _, ok := got[name]; !ok {
			t.Errorf("rule %s dropped", name)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d rules, want %d", len(got), len(want))
	}
}

// TestValidationErrorsLeftOutAreCounted: validation makes no more errors
// than an answer carries, and the last one says how many it left out.
func TestValidationErrorsLeftOutAreCounted(t *testing.T) {
	t.Parallel()
	h := newTestHandler(t, HandlerOptions{})
	for _, n := range []int{MaxErrors, MaxErrors + 1, 150, 999} {
		a := post(t, h, requestBody(unknownFieldsDoc(n), nil))
		if n <= MaxErrors {
			if len(a.Errors) != n {
				t.Errorf("%d unknown fields: %d errors", n, len(a.Errors))
			}
			continue
		}
		last := a.Errors[len(a.Errors)-1]
		if len(a.Errors) != MaxErrors+1 || last.Extensions["code"] != "TOO_MANY_ERRORS" ||
			last.Message != fmt.Sprintf("%d more errors left out", n-MaxErrors) || strings.Contains(a.Raw, leftOutKey) {
			t.Errorf("%d unknown fields: %d errors, the last %+v", n, len(a.Errors), last)
		}
	}
}

// TestCachesAreBoundedInBytes: a thousand large documents no longer stay
// parsed; the least recently used go first, and one too large is not kept.
func TestCachesAreBoundedInBytes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := newBytesCache(1000, func(k, v string) int { return len(k) + len(v) })
	c.Add(ctx, "a", strings.Repeat("x", 300))
	c.Add(ctx, "b", strings.Repeat("x", 30))
	if _, ok := c.Get(ctx, "b"); !ok {
		t.Fatal("b not kept")
	}
	c.Add(ctx, "c", strings.Repeat("x", 30))
	for i := range 40 {
		c.Add(ctx, fmt.Sprint("k", i), strings.Repeat("x", 30))
		c.Get(ctx, "c")
	}
	if _, ok := c.Get(ctx, "a"); ok {
		t.Error("a entry over a sixteenth of the cache was kept")
	}
	if _, ok := c.Get(ctx, "c"); !ok {
		t.Error("the entry used most recently was evicted")
	}
	if _, ok := c.Get(ctx, "b"); ok {
		t.Error("the entry used least recently was kept")
	}
	if c.used > c.max {
		t.Errorf("%d bytes held, over %d", c.used, c.max)
	}
}
