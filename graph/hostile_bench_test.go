package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
)

// costCheckDocuments are the attack findings and the worst documents the
// bounds let through, by name.
func costCheckDocuments() []struct{ name, query string } {
	return []struct{ name, query string }{
		{"fan-out_2^24", fanOutDoc(24)},
		{"chain_6000", chainDoc(6_000)},
		{"aliases_9000", presetAliasesDoc(9_000)},
		{"unknown_5000", unknownFieldsDoc(5_000)},
		{"bodies_9x500", bodiesDoc(9, 500, "request { body }")},
		{"mutations_5000", mutationAliasesDoc(5_000)},
		{"deepest", deepestDoc()},
		{"introspection", introspectionQuery},
		{"within/selections_5000", "{" + repeat(5, func(k int) string {
			return fmt.Sprintf(" v%d: viewer { workspace { %s } }", k, repeat(990, func(i int) string { return fmt.Sprintf(" a%d: name", i) }))
		}) + " }"},
		{"within/merge", sameFieldsDoc(220)},
		{"within/spreads", spreadPlacesDoc(4, MaxQueryFragments, 5)},
		{"within/walk", walkDoc(42, 48)},
		{"within/1MiB_long_names", longNamesDoc()},
		{"within/1MiB_long_types", longTypesDoc()},
		{"within/1MiB_long_input_fields", longInputFieldsDoc()},
		{"within/1MiB_ids", "{ nodes(ids: [" + repeat(4_000, func(i int) string {
			return fmt.Sprintf(` "log_%d%s"`, i, strings.Repeat("0", 240))
		}) + "]) { id } }"},
		{"within/1MiB_comments", "{ __typename }" + strings.Repeat("#"+strings.Repeat("c", 48)+"\n", MaxQueryTokens-5)},
		{"within/tokens_bad_enum_values", "{ webhooks(where: {directionIn: [" + repeat(MaxQueryTokens-20, func(i int) string {
			return fmt.Sprintf(" X%d", i)
		}) + "]}) { totalCount } }"},
		{"within/tokens_bad_list", "{ webhooks(where: {nameIn: [" + repeat(MaxQueryTokens-20, func(int) string { return " 1" }) + "]}) { totalCount } }"},
		{"within/tokens_unknown_directives", "{ __typename " + repeat(MaxQueryTokens/2-10, func(int) string { return " @x" }) + " }"},
		{"within/1MiB_long_aliases", "{" + repeat(5, func(k int) string {
			return fmt.Sprintf(" v%d: viewer { workspace { %s } }", k, repeat(990, func(i int) string {
				return fmt.Sprintf(" a%d%s: name", i, strings.Repeat("x", 200))
			}))
		}) + " }"},
	}
}

// uncachedBodies returns request bodies of query, the i-th with a comment
// of its own, so that gqlgen's query cache never spares one parsing and
// validation (not even across -count runs).
func uncachedBodies(query string) func(i int) []byte {
	head, _ := json.Marshal(fmt.Sprintf("%s\n#%d-", query, time.Now().UnixNano()))
	head = append([]byte(`{"query":`), head[:len(head)-1]...)
	return func(i int) []byte {
		b := append(head[:len(head):len(head)], strconv.Itoa(i)...)
		return append(b, `"}`...)
	}
}

// BenchmarkCostCheck is each document decided through the whole handler:
// the request read, the bounds, parsing, validation, the cost, and what
// runs of it (every document here is refused, or runs over a workspace of
// 10 logs). The contract: under 50 ms of CPU each (cpu-ms/op, the
// process's CPU time over the runs).
//
//	go test ./graph/ -run '^$' -bench BenchmarkCostCheck -benchtime 20x
func BenchmarkCostCheck(b *testing.B) {
	h := newTestHandler(b, HandlerOptions{})
	h.seedLogs(b, 10, `{"a": 1}`)
	for _, doc := range costCheckDocuments() {
		b.Run(doc.name, func(b *testing.B) {
			body := uncachedBodies(doc.query)
			b.SetBytes(int64(len(body(0))))
			b.ReportAllocs()
			b.ResetTimer()
			cpu := processCPU()
			for i := range b.N {
				if rec := serve(h, body(i)); rec.Code >= 500 {
					b.Fatalf("%d: %.300s", rec.Code, rec.Body.String())
				}
			}
			b.ReportMetric(float64(processCPU()-cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
		})
	}
}

// processCPU is the CPU time the process has used, user and system, the
// garbage collector's included: on a busy machine a document's CPU time
// says more than its wall time (ns/op).
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkAnswerBudget is a dashboard's page of logs, with and without
// AnswerBudget: its overhead per field.
//
//	go test ./graph/ -run '^$' -bench BenchmarkAnswerBudget -count 6
func BenchmarkAnswerBudget(b *testing.B) {
	const page = `{ webhookLogs(first: 50) { pageInfo { hasNextPage endCursor } edges { cursor node { id direction outcome occurredAt statusCode
		durationMs error request { method url headers body } webhook { id name status } } } } }`
	for _, budget := range []bool{false, true} {
		b.Run(fmt.Sprintf("budget=%v", budget), func(b *testing.B) {
			h := newTestHandler(b, HandlerOptions{noAnswerBudget: !budget})
			h.seedLogs(b, 50, strings.Repeat(`{"k": "value"}`, 70))
			body := requestBody(page, nil)
			if a := post(b, h, body); len(a.Errors) > 0 {
				b.Fatal(a.Raw)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if rec := serve(h, body); rec.Code != http.StatusOK {
					b.Fatal(rec.Body.String())
				}
			}
		})
	}
}

// FuzzCostCheck: every document is decided in bounded time, with a JSON
// answer, and the bounds' scanner reads whatever the parser reads. The
// bound is generous (the contract is 50 ms; the benchmark measures it)
// so as to hold under -race and a busy machine.
//
//	go test ./graph/ -run '^$' -fuzz FuzzCostCheck -fuzztime 60s
func FuzzCostCheck(f *testing.F) {
	// Seeds that take milliseconds (big ones; the introspection query,
	// whose answer is the whole schema) make each step of minimizing an
	// input as slow, and the fuzzer minimizes every new one: the tests run
	// those.
	for _, doc := range costCheckDocuments() {
		if len(doc.query) < 4<<10 && doc.name != "introspection" {
			f.Add(doc.query)
		}
	}
	for _, q := range scannerCorpus() {
		if q != introspectionQuery && len(q) < 4<<10 {
			f.Add(q)
		}
	}
	f.Add(fanOutDoc(6))
	f.Add(chainDoc(20))
	f.Add(sameFieldsDoc(20))
	f.Add(spreadTogetherDoc(5, 5))
	f.Add(walkDoc(5, 3))
	h := newTestHandler(f, HandlerOptions{})
	f.Fuzz(func(t *testing.T, q string) {
		if len(q) > MaxRequestBytes-64 {
			return
		}
		scannerAgreesWithParser(t, q)
		start := time.Now()
		rec := serve(h, requestBody(q, nil))
		if took := time.Since(start); took > 500*time.Millisecond {
			t.Fatalf("decided in %v: %.300q", took, q)
		}
		if !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("not JSON: %.300s", rec.Body.String())
		}
	})
}

// BenchmarkAnswerBudgetPerField is the field middleware alone, around a
// resolver answering a short string, at the depth of a log's field in a
// page (a dozen contexts up): what AnswerBudget adds to each field.
//
//	go test ./graph/ -run '^$' -bench BenchmarkAnswerBudgetPerField
func BenchmarkAnswerBudgetPerField(b *testing.B) {
	ctx := context.Background()
	for range 12 {
		ctx = context.WithValue(ctx, struct{ int }{}, 0)
	}
	ctx = graphql.WithFieldContext(ctx, &graphql.FieldContext{Field: graphql.CollectedField{Field: &ast.Field{Alias: "outcome"}}})
	next := func(context.Context) (any, error) { return "ACCEPTED", nil }
	for _, budget := range []bool{false, true} {
		b.Run(fmt.Sprintf("budget=%v", budget), func(b *testing.B) {
			oc := &graphql.OperationContext{
				Operation: &ast.OperationDefinition{Operation: ast.Query},
				ResolverMiddleware: func(ctx context.Context, next graphql.Resolver) (any, error) {
					return next(ctx)
				},
			}
			if budget {
				_ = AnswerBudget{Max: math.MaxInt64 / 2}.MutateOperationContext(ctx, oc) // never reached here
				ab := oc.Stats.GetExtension(answerBudgetName).(*answerBudget)
				ab.ctx, ab.cancel = context.WithCancelCause(ctx)
				defer ab.cancel(nil)
			}
			b.ReportAllocs()
			for range b.N {
				if _, err := oc.ResolverMiddleware(ctx, next); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCheckDocument is DocumentLimits' own work on the documents real
// clients send: it runs on every request, the query cache's hits too.
//
//	go test ./graph/ -run '^$' -bench BenchmarkCheckDocument
func BenchmarkCheckDocument(b *testing.B) {
	for name, q := range map[string]string{
		"introspection":      introspectionQuery,
		"relay_60_fragments": relayDoc(),
		"dashboard_page": `query($w: ID, $after: Cursor) { webhookLogs(first: 50, after: $after, where: {webhookId: $w}) {
			pageInfo { hasNextPage endCursor } edges { cursor node { id direction outcome occurredAt statusCode
			durationMs error request { method url headers body } webhook { id name status } } } } }`,
	} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(q)))
			b.ReportAllocs()
			for range b.N {
				if err := checkDocument(q); err != nil {
					b.Fatal(err.msg)
				}
			}
		})
	}
}

// BenchmarkCostCheckDecision is the decision alone, without the HTTP
// request around it nor any execution: the bounds, parsing, validation
// and the node count, as the handler runs them.
//
//	go test ./graph/ -run '^$' -bench BenchmarkCostCheckDecision -benchtime 20x
func BenchmarkCostCheckDecision(b *testing.B) {
	schema := NewExecutableSchema(Config{}).Schema()
	for _, doc := range costCheckDocuments() {
		b.Run(doc.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu := processCPU()
			for range b.N {
				if checkDocument(doc.query) != nil {
					continue
				}
				parsed, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: doc.query}, MaxQueryTokens)
				if err != nil || len(parsed.Operations) == 0 {
					continue
				}
				if validator.ValidateWithRules(schema, parsed, validationRules()) != nil {
					continue
				}
				operationCost(&graphql.OperationContext{Operation: parsed.Operations[0]})
			}
			b.ReportMetric(float64(processCPU()-cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
		})
	}
}
