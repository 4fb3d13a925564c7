package app

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestHealthReadinessAndGraphiQL(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	cases := []struct {
		path, want string
		status     int
	}{
		{"/healthz", "ok", 200},
		{"/readyz", "ready", 200},
		{"/", "graphiql", 200},
		{"/nope", "", 404},
	}
	for _, tc := range cases {
		res, err := http.Get(ta.srv.URL + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != tc.status || !strings.Contains(strings.ToLower(string(body)), tc.want) {
			t.Errorf("GET %s = %d %.80q, want %d containing %q", tc.path, res.StatusCode, body, tc.status, tc.want)
		}
	}
	// Readiness follows the database.
	_ = ta.db.Close()
	res, err := http.Get(ta.srv.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("readyz with the database closed = %d, want 503", res.StatusCode)
	}
}

func TestCORSPreflight(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	req, _ := http.NewRequest(http.MethodOptions, ta.srv.URL+"/query", nil)
	req.Header.Set("Origin", "https://app.example.com")
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "authorization, content-type")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNoContent || res.Header.Get("Access-Control-Allow-Origin") != "*" ||
		!strings.Contains(res.Header.Get("Access-Control-Allow-Headers"), "Authorization") {
		t.Fatalf("preflight = %d %v", res.StatusCode, res.Header)
	}
}

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

// TestBrokenDatabaseIsNotReadyAndNotUnauthenticated: with the database's
// tables gone under a running server, readiness fails, and a request with
// a valid key is told the server failed (503), not that its key is bad.
func TestBrokenDatabaseIsNotReadyAndNotUnauthenticated(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	for _, stmt := range []string{"ALTER TABLE workspaces RENAME TO gone_workspaces", "ALTER TABLE api_keys RENAME TO gone_api_keys"} {
		if _, err := ta.db.Write.ExecContext(context.Background(), stmt); err != nil {
			t.Fatal(err)
		}
	}
	res, err := http.Get(ta.srv.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("readyz without the tables = %d, want 503", res.StatusCode)
	}
	r := ta.gql(t, ta.key, `{ viewer { workspace { name } } }`, nil)
	if r.Status != http.StatusServiceUnavailable || r.code() != "INTERNAL_SERVER_ERROR" {
		t.Errorf("a valid key against a broken database: %d %s, want 503 INTERNAL_SERVER_ERROR", r.Status, r.Raw)
	}
}
