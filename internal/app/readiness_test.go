package app

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestHealthReadinessConsoleAndGraphiQL(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	cases := []struct {
		path, want string
		status     int
	}{
		{"/healthz", "ok", 200},
		{"/readyz", "ready", 200},
		{"/", "<title>wexio webhooks</title>", 200}, // the console
		{"/graphiql/", "graphiql", 200},
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
