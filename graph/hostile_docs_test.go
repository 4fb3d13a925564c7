package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/privacy"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/db/dbtest"
	"github.com/wexio/webhooks/internal/store"
	"github.com/wexio/webhooks/internal/tenant"
)

// The documents of the attack findings, and the worst ones the bounds let
// through, for the tests, BenchmarkCostCheck and FuzzCostCheck.

// repeat joins f(0) … f(n-1).
func repeat(n int, f func(i int) string) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(f(i))
	}
	return b.String()
}

// fanOutDoc: each of n fragments spreads the next twice, through
// Webhook.logs.node.webhook: 2^n selections in n lines.
func fanOutDoc(n int) string {
	return "query { webhookLogs(first: 1) { edges { node { webhook { ...f0 } } } } }\n" +
		repeat(n, func(i int) string {
			return fmt.Sprintf("fragment f%d on Webhook { logs(first: 1) { edges { node { webhook { ...f%d ...f%d } } } } }\n",
				i, i+1, i+1)
		}) + fmt.Sprintf("fragment f%d on Webhook { id }\n", n)
}

// chainDoc: n fragments, each spreading the next (6,000: 388 KB).
func chainDoc(n int) string {
	return "query { ...f0 }\n" + repeat(n, func(i int) string {
		return fmt.Sprintf("fragment f%d on Query { viewer { workspace { id } } ...f%d }\n", i, i+1)
	}) + fmt.Sprintf("fragment f%d on Query { __typename }\n", n)
}

// presetAliasesDoc: n aliases of the unpaginated authPresets.
func presetAliasesDoc(n int) string {
	return "{" + repeat(n, func(i int) string { return fmt.Sprintf(" a%d: authPresets { key name docsUrl }", i) }) + " }"
}

// bodiesDoc: n aliases of a page of logs with their request bodies.
func bodiesDoc(n, first int, fields string) string {
	return "{" + repeat(n, func(i int) string {
		return fmt.Sprintf(" p%d: webhookLogs(first: %d) { edges { node { %s } } }", i, first, fields)
	}) + " }"
}

// unknownFieldsDoc: n fields the schema does not have.
func unknownFieldsDoc(n int) string {
	return "{" + repeat(n, func(i int) string { return fmt.Sprintf(" f%d", i) }) + " }"
}

// mutationAliasesDoc: n aliased createContact.
func mutationAliasesDoc(n int) string {
	return "mutation {" + repeat(n, func(i int) string {
		return fmt.Sprintf(` c%d: createContact(input: {name: "n%d"}) { id }`, i, i)
	}) + " }"
}

// deepestDoc nests fields exactly MaxQueryDepth deep, through logs and
// their webhook, one row a page: what the depth bound lets through.
func deepestDoc() string {
	// Each round is 4 fields (logs, edges, node, webhook); the query opens
	// with 4 (webhookLogs, edges, node, webhook) and ends with id.
	rounds := (MaxQueryDepth - 5) / 4
	q := "id"
	for range rounds {
		q = "logs(first: 1) { edges { node { webhook { " + q + " } } } }"
	}
	q = "webhookLogs(first: 1) { edges { node { webhook { " + q + " } } } }"
	for depth := 4*rounds + 5; depth < MaxQueryDepth; depth++ {
		q = "viewer { workspace { id } } " + q // pad: same depth
	}
	return "{ " + q + " }"
}

// spreadOut selects n fields made by field on objects of at most 900
// fields each (MaxObjectSelections), aliases of viewer.
func spreadOut(n int, field func(i int) string) string {
	var b strings.Builder
	b.WriteString("{")
	for start := 0; start < n; start += 900 {
		fmt.Fprintf(&b, " v%d: viewer {", start)
		for i := start; i < min(start+900, n); i++ {
			b.WriteString(" " + field(i))
		}
		b.WriteString(" }")
	}
	b.WriteString(" }")
	return b.String()
}

// longNamesDoc: a megabyte of unknown fields with long names, which made
// validation compute an edit distance to every field for each (suggestions).
func longNamesDoc() string {
	return spreadOut(4_900, func(i int) string { return fmt.Sprintf("x%d%s", i, strings.Repeat("a", 200)) })
}

// longTypesDoc: fragments on unknown types of 10,000 characters, which
// made validation compare each to every type of the schema.
func longTypesDoc() string {
	return "{ __typename }" + repeat(MaxQueryFragments, func(i int) string {
		return fmt.Sprintf(" fragment f%d on T%d%s { id }", i, i, strings.Repeat("a", 10_000))
	})
}

// longInputFieldsDoc: a where filter of 6,000 unknown, long field names.
func longInputFieldsDoc() string {
	return "{ webhooks(where: {" + repeat(6_000, func(i int) string {
		return fmt.Sprintf(" x%d%s: 1", i, strings.Repeat("a", 150))
	}) + "}) { totalCount } }"
}

// sameFieldsDoc: n copies of one field and its selections, all compared
// pairwise by OverlappingFieldsCanBeMerged.
func sameFieldsDoc(n int) string {
	return "{" + repeat(n, func(int) string { return " viewer { workspace { id name } }" }) + " }"
}

// spreadTogetherDoc: n fragments of m distinct fields, spread in one set:
// every two are compared.
func spreadTogetherDoc(n, m int) string {
	return "{ viewer { workspace { " + repeat(n, func(i int) string { return fmt.Sprintf(" ...f%d", i) }) + " } } }" +
		repeat(n, func(i int) string {
			return fmt.Sprintf(" fragment f%d on Workspace { %s}", i, repeat(m, func(j int) string { return fmt.Sprintf("a%d_%d: id ", i, j) }))
		})
}

// walkDoc: a chain of n fragments of m fields each (on an object of
// their own), validated once per link.
func walkDoc(n, m int) string {
	return "{ ...f0 }" + repeat(n-1, func(i int) string {
		return fmt.Sprintf(" fragment f%d on Query { v%d: viewer { %s} ...f%d }", i, i,
			repeat(m, func(j int) string { return fmt.Sprintf("a%d_%d: workspace { id } ", i, j) }), i+1)
	}) + fmt.Sprintf(" fragment f%d on Query { __typename }", n-1)
}

// spreadPlacesDoc: at each of p places, the same n fragments of m fields.
func spreadPlacesDoc(p, n, m int) string {
	return "{" + repeat(p, func(k int) string {
		return fmt.Sprintf(" v%d: viewer { workspace { %s } }", k, repeat(n, func(i int) string { return fmt.Sprintf(" ...f%d", i) }))
	}) + " }" + repeat(n, func(i int) string {
		return fmt.Sprintf(" fragment f%d on Workspace { %s}", i, repeat(m, func(j int) string { return fmt.Sprintf("a%d_%d: name ", i, j) }))
	})
}

// relayDoc is what an application built of fragments sends: a page of
// webhooks, each drawn by 60 components.
func relayDoc() string {
	return "query Page($n: Int) { webhooks(first: $n) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id " +
		repeat(60, func(i int) string { return fmt.Sprintf(" ...W%d", i) }) + " } } } }" +
		repeat(60, func(i int) string {
			return fmt.Sprintf(` fragment W%d on Webhook { id name status direction flowCount inbound { url capturing auth { mode secretHint } }
				logs(first: 5) { edges { node { id outcome statusCode occurredAt } } } }`, i)
		})
}

// introspectionQuery is graphql-js's getIntrospectionQuery() (v16, the
// defaults), as GraphiQL and graphql-codegen send it.
const introspectionQuery = `
    query IntrospectionQuery {
      __schema {
        queryType { name }
        mutationType { name }
        subscriptionType { name }
        types {
          ...FullType
        }
        directives {
          name
          description
          locations
          args {
            ...InputValue
          }
        }
      }
    }

    fragment FullType on __Type {
      kind
      name
      description
      fields(includeDeprecated: true) {
        name
        description
        args {
          ...InputValue
        }
        type {
          ...TypeRef
        }
        isDeprecated
        deprecationReason
      }
      inputFields {
        ...InputValue
      }
      interfaces {
        ...TypeRef
      }
      enumValues(includeDeprecated: true) {
        name
        description
        isDeprecated
        deprecationReason
      }
      possibleTypes {
        ...TypeRef
      }
    }

    fragment InputValue on __InputValue {
      name
      description
      type { ...TypeRef }
      defaultValue
    }

    fragment TypeRef on __Type {
      kind
      name
      ofType {
        kind
        name
        ofType {
          kind
          name
          ofType {
            kind
            name
            ofType {
              kind
              name
              ofType {
                kind
                name
                ofType {
                  kind
                  name
                  ofType {
                    kind
                    name
                  }
                }
              }
            }
          }
        }
      }
    }
`

// deepIntrospectionQuery is the introspection query with the deeper type
// references graphql-js 17 asks for (typeDepth 9), descriptions off.
var deepIntrospectionQuery = strings.Replace(introspectionQuery, `ofType {
                    kind
                    name
                  }`, `ofType {
                    kind
                    name
                    ofType { kind name ofType { kind name } }
                  }`, 1)

// testHandler is the /query handler over a new database, its operations
// in workspace ws (empty: none).
type testHandler struct {
	http.Handler
	st *store.Store
	ws string
}

func newTestHandler(t testing.TB, opts HandlerOptions) *testHandler {
	t.Helper()
	st := dbtest.Open(t)
	if opts.Log == nil {
		opts.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	opts.Write = st.Write
	th := &testHandler{st: st}
	h := NewHandler(NewSchema(&Resolver{Read: st.Read, Dialect: st.Dialect, Now: time.Now}), opts)
	th.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if th.ws != "" {
			r = r.WithContext(tenant.WithWorkspace(r.Context(), th.ws))
		}
		h.ServeHTTP(w, r)
	})
	return th
}

// seedLogs makes a workspace with an inbound webhook and n log rows whose
// request bodies are body, and scopes the handler's operations to it.
func (th *testHandler) seedLogs(t testing.TB, n int, body string) {
	t.Helper()
	ctx := privacy.DecisionContext(context.Background(), privacy.Allow)
	ws, err := th.st.Write.Workspace.Create().SetName("hostile").Save(ctx)
	if err != nil {
		t.Fatal(err)
	}
	th.ws = string(ws.ID)
	ctx = tenant.WithWorkspace(ctx, th.ws)
	hook, err := th.st.Write.Webhook.Create().SetName("in").SetDirection(schematype.DirectionInbound).Save(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for done := 0; done < n; done += 50 {
		rows := make([]*ent.WebhookLogCreate, 0, 50)
		for range min(50, n-done) {
			rows = append(rows, th.st.Write.WebhookLog.Create().SetWebhookID(hook.ID).
				SetDirection(schematype.DirectionInbound).SetOutcome(schematype.OutcomeAccepted).
				SetRequest(schematype.HTTPMessage{Method: "POST", URL: "/in/x", Headers: map[string]string{"Content-Type": "application/json"}, Body: body}))
		}
		if err := th.st.Write.WebhookLog.CreateBulk(rows...).Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
}

// answer is a decoded GraphQL answer.
type answer struct {
	Status int
	Size   int
	Raw    string
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
	Extensions map[string]any `json:"extensions"`
}

func (a *answer) code() string {
	if len(a.Errors) == 0 {
		return ""
	}
	c, _ := a.Errors[0].Extensions["code"].(string)
	return c
}

// requestBody is the POST body of query.
func requestBody(query string, vars map[string]any) []byte {
	b, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	return b
}

// post sends body to h and decodes the answer.
func post(t testing.TB, h http.Handler, body []byte) *answer {
	t.Helper()
	rec := serve(h, body)
	a := &answer{Status: rec.Code, Size: rec.Body.Len(), Raw: rec.Body.String()}
	if err := json.Unmarshal(rec.Body.Bytes(), a); err != nil {
		t.Fatalf("answer is not JSON: %v: %.300s", err, rec.Body.String())
	}
	return a
}

func serve(h http.Handler, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/query", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}
