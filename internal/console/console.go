// Package console serves the console, the single-page app built from web/
// into dist/ and embedded in the binary: GET / is its page, /assets/ its
// scripts and styles under content-hashed names. Nothing is loaded from
// another origin, so it works offline and under the strict
// Content-Security-Policy sent with the page.
package console

import (
	"embed"
	"io/fs"
	"net/http"
	"strings"
)

//go:embed dist
var dist embed.FS

// CSP allows the page its own scripts, styles and images and this
// origin's API, WebSocket included ('self' matches ws: and wss: of the
// same host); nothing inline, nothing from elsewhere, and no framing.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; font-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// Dist is the built console: index.html and assets/.
func Dist() fs.FS {
	root, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	return root
}

// Handler serves the page on GET / and the assets on GET /assets/; mount
// it on "GET /{$}" and "GET /assets/".
func Handler() http.Handler {
	root := Dist()
	page, err := fs.ReadFile(root, "index.html")
	if err != nil {
		panic("console: dist/index.html is missing; run npm run build in web/")
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		if r.URL.Path == "/" {
			// Never cached: a new build's page names new assets.
			h.Set("Content-Type", "text/html; charset=utf-8")
			h.Set("Cache-Control", "no-cache")
			h.Set("Content-Security-Policy", CSP)
			h.Set("Referrer-Policy", "no-referrer")
			_, _ = w.Write(page)
			return
		}
		// Files only: no listing of /assets/, and a 404 that no cache keeps
		// (a page of a newer build may name a file this server lacks).
		name := strings.TrimPrefix(r.URL.Path, "/")
		if f, err := fs.Stat(root, name); err != nil || f.IsDir() {
			http.NotFound(w, r)
			return
		}
		// Hashed names: a changed file is a new URL, so each may be kept for good.
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
		http.ServeFileFS(w, r, root, name)
	})
}
