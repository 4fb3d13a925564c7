package app

import (
	"net/http"
	"testing"
)

func TestGraphQLRequiresAPIKey(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	cases := []struct {
		name, header string
	}{
		{"missing", ""},
		{"wrong scheme", "Basic " + ta.key},
		{"not a key", "Bearer hello"},
		{"unknown well-formed key", "Bearer wx_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
		{"key with a character changed", "Bearer " + ta.key[:len(ta.key)-1] + flip(ta.key[len(ta.key)-1])},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req, _ := http.NewRequest(http.MethodPost, ta.srv.URL+"/query", stringsReader(`{"query":"{viewer{workspace{id}}}"}`))
			req.Header.Set("Content-Type", "application/json")
			if tc.header != "" {
				req.Header.Set("Authorization", tc.header)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			if res.StatusCode != http.StatusUnauthorized {
				t.Fatalf("status = %d, want 401", res.StatusCode)
			}
			var body gqlResponse
			decode(t, res.Body, &body)
			if body.code() != "UNAUTHENTICATED" || body.Data != nil {
				t.Fatalf("body = %+v, want UNAUTHENTICATED and no data", body)
			}
		})
	}
	t.Run("valid key, scheme case-insensitive", func(t *testing.T) {
		t.Parallel()
		req, _ := http.NewRequest(http.MethodPost, ta.srv.URL+"/query", stringsReader(`{"query":"{viewer{workspace{name}}}"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "bearer "+ta.key)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var body gqlResponse
		decode(t, res.Body, &body)
		if res.StatusCode != 200 || str(body.Data, "viewer.workspace.name") != "Default" {
			t.Fatalf("status %d, body %+v", res.StatusCode, body)
		}
	})
}

func TestKeysAreScopedToTheirWorkspace(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	other := ta.newWorkspace(t, "Acme")
	if got := str(ta.ok(t, other, `{viewer{workspace{name}}}`, nil), "viewer.workspace.name"); got != "Acme" {
		t.Fatalf("viewer of the new key = %q, want Acme", got)
	}
	if got := str(ta.ok(t, ta.key, `{viewer{workspace{name}}}`, nil), "viewer.workspace.name"); got != "Default" {
		t.Fatalf("viewer of the bootstrap key = %q, want Default", got)
	}
}

func flip(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}
