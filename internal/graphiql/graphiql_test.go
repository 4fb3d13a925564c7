package graphiql

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// TestPageLoadsOnlyItsOwnAssets: the page is served without caching and
// under a Content-Security-Policy allowing only this origin; every script
// and stylesheet it names is a relative URL the handler serves, cached for
// good; nothing is loaded from elsewhere.
func TestPageLoadsOnlyItsOwnAssets(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.Handle("GET /graphiql", Handler())
	mux.Handle("GET /graphiql/", Handler())
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	res, err := http.Get(srv.URL + "/graphiql")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Request.URL.Path != "/graphiql/" {
		t.Fatalf("GET /graphiql: %d at %s", res.StatusCode, res.Request.URL.Path)
	}
	csp := res.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "script-src 'self'") ||
		res.Header.Get("Cache-Control") != "no-cache" {
		t.Fatalf("page headers: CSP %q, Cache-Control %q", csp, res.Header.Get("Cache-Control"))
	}
	if strings.Contains(string(page), "http:") || strings.Contains(string(page), "https:") || strings.Contains(string(page), "<script>") {
		t.Fatalf("the page names another origin or has inline script:\n%s", page)
	}
	refs := regexp.MustCompile(`(?:src|href)="([^"]+)"`).FindAllStringSubmatch(string(page), -1)
	if len(refs) < 5 {
		t.Fatalf("the page names %d assets", len(refs))
	}
	for _, ref := range refs {
		res, err := http.Get(srv.URL + "/graphiql/" + ref[1])
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || len(body) == 0 ||
			!strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
			t.Errorf("%s: %d, %d bytes, Cache-Control %q", ref[1], res.StatusCode, len(body), res.Header.Get("Cache-Control"))
		}
	}
	if res, err := http.Get(srv.URL + "/graphiql/assets/0.0.0/page.js"); err != nil || res.StatusCode != http.StatusNotFound {
		t.Fatalf("an asset of another version: %v", res.Status)
	}
}

// TestPageShowsTheHeadersEditor: the page opens GraphiQL with its headers
// editor visible and an Authorization header to fill in, and talks to
// this server's /query.
func TestPageShowsTheHeadersEditor(t *testing.T) {
	t.Parallel()
	js, err := files.ReadFile("assets/page.js")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`defaultEditorToolsVisibility: "headers"`, `"Authorization": "Bearer <your API key>"`, `new URL("../query"`} {
		if !strings.Contains(string(js), want) {
			t.Errorf("page.js lacks %s", want)
		}
	}
}
