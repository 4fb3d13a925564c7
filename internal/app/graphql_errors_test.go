package app

import (
	"net/http"
	"strings"
	"testing"
)

func TestErrorsAreCodedAndSafe(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	cases := []struct {
		name, query, code string
	}{
		{"unknown id prefix", `{ node(id: "zz_123") { id } }`, "NOT_FOUND"},
		{"syntax", `{ viewer {`, "GRAPHQL_PARSE_FAILED"},
		{"unknown field", `{ nope }`, "GRAPHQL_VALIDATION_FAILED"},
		{"bad enum", `mutation { setWebhookStatus(id: "wh_x", status: LOST) { id } }`, "GRAPHQL_VALIDATION_FAILED"},
		// Arguments that do not unmarshal are the client's input, not ours.
		{"bad cursor", `{ webhookLogs(first: 1, after: "zzz") { totalCount } }`, "BAD_USER_INPUT"},
		{"bad cursor, ent list", `{ webhooks(after: "zzz") { totalCount } }`, "BAD_USER_INPUT"},
		{"bad time", `{ webhookLogs(first: 1, where: {since: "yesterday"}) { totalCount } }`, "BAD_USER_INPUT"},
		{"date without time", `{ events(first: 1, where: {since: "2026-11-27"}) { totalCount } }`, "BAD_USER_INPUT"},
	}
	for _, tc := range cases {
		r := ta.gql(t, ta.key, tc.query, nil)
		if r.code() != tc.code {
			t.Errorf("%s: %s, want %s", tc.name, r.Raw, tc.code)
		}
		if strings.Contains(strings.ToLower(r.Raw), "sql") {
			t.Errorf("%s leaks storage detail: %s", tc.name, r.Raw)
		}
	}
	// Requests /query refuses before gqlgen, and one gqlgen refuses.
	auth := map[string]string{"Authorization": "Bearer " + ta.key}
	query := []byte(`{"query":"{ viewer { workspace { name } } }"}`)
	for _, m := range []string{http.MethodPut, http.MethodDelete, http.MethodPatch} {
		if r := ta.send(t, m, "/query", "application/json", query, auth); r.status != http.StatusMethodNotAllowed || r.header.Get("Allow") == "" {
			t.Errorf("%s /query: %d, Allow %q; want 405 with Allow", m, r.status, r.header.Get("Allow"))
		}
	}
	huge := []byte(`{"query":"{ viewer { workspace { name } } }","variables":{"pad":"` + strings.Repeat("x", 2<<20) + `"}}`)
	if r := ta.send(t, http.MethodPost, "/query", "application/json", huge, auth); r.status != http.StatusRequestEntityTooLarge {
		t.Errorf("a 2 MB request: %d, want 413", r.status)
	}
	// A body that is not JSON is a 400 with a GraphQL error, not a panic.
	r := ta.send(t, http.MethodPost, "/query", "application/json", []byte(`{"query":`), auth)
	if r.status != http.StatusBadRequest || !strings.Contains(r.body, "could not be decoded") {
		t.Fatalf("broken JSON body: %d %s", r.status, r.body)
	}
}
