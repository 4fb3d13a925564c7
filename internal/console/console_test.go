package console_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/wexio/webhooks/internal/console"
)

// The page is never cached and carries the CSP; the assets it names are
// served under hashed names, cached for good; nothing it names is from
// another origin.
func TestServesThePageAndItsAssets(t *testing.T) {
	mux := http.NewServeMux()
	h := console.Handler()
	mux.Handle("GET /{$}", h)
	mux.Handle("GET /assets/", h)
	srv := httptest.NewServer(mux)
	defer srv.Close()

	res, body := get(t, srv.URL+"/")
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET / = %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if res.Header.Get("Cache-Control") != "no-cache" || res.Header.Get("Content-Security-Policy") != console.CSP {
		t.Fatalf("page headers: %v", res.Header)
	}
	if regexp.MustCompile(`(?i)(src|href)="(https?:)?//`).MatchString(body) {
		t.Fatalf("the page loads something from another origin:\n%s", body)
	}
	assets := regexp.MustCompile(`(?:src|href)="(/assets/[^"]+)"`).FindAllStringSubmatch(body, -1)
	if len(assets) < 2 {
		t.Fatalf("the page names %d assets, want its script and stylesheet:\n%s", len(assets), body)
	}
	for _, m := range assets {
		if !regexp.MustCompile(`-[A-Za-z0-9_-]{8}\.(js|css)$`).MatchString(m[1]) {
			t.Errorf("asset %s has no content hash in its name", m[1])
		}
		res, body := get(t, srv.URL+m[1])
		if res.StatusCode != 200 || len(body) == 0 {
			t.Fatalf("GET %s = %d", m[1], res.StatusCode)
		}
		if res.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
			t.Errorf("GET %s Cache-Control = %q", m[1], res.Header.Get("Cache-Control"))
		}
	}
	// A missing file is a 404 no cache keeps; the folder is not listed.
	for _, path := range []string{"/assets/missing.js", "/assets/"} {
		if res, _ := get(t, srv.URL+path); res.StatusCode != 404 || strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
			t.Fatalf("GET %s = %d, Cache-Control %q; want 404, not cached", path, res.StatusCode, res.Header.Get("Cache-Control"))
		}
	}
}

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// The console's scripts, compressed, stay under 250 KB (issue budget): a
// first load on a slow link is one small download.
func TestScriptBudget(t *testing.T) {
	const budget = 250 << 10
	var total int
	err := fs.WalkDir(console.Dist(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".js") {
			return err
		}
		raw, err := fs.ReadFile(console.Dist(), path)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		_, _ = zw.Write(raw)
		_ = zw.Close()
		total += buf.Len()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("scripts: %d bytes compressed", total)
	if total == 0 || total > budget {
		t.Fatalf("scripts are %d bytes compressed, budget %d", total, budget)
	}
}
