// Package graphiql serves GraphiQL at /graphiql from assets embedded in
// the binary: GraphiQL 3.8.3 and React 18.3.1 as their npm packages ship
// them (scripts/fetch-graphiql fetches and checks them), and a page of our
// own. Nothing is loaded from elsewhere, so it works offline and under a
// strict Content-Security-Policy.
package graphiql

import (
	"embed"
	"io/fs"
	"net/http"
	"strings"
)

//go:embed index.html assets
var files embed.FS

// version is in every asset's path: a new one is a new URL, so assets
// may be cached for good.
const version = "3.8.3"

// csp lets the page load its own scripts and styles (GraphiQL's editors
// set style attributes), and talk to this origin's API, WebSocket
// included.
const csp = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
	"font-src 'self' data:; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'"

// Handler serves GET /graphiql (the page) and /graphiql/assets/<version>/
// (the assets); mount it on "/graphiql" and "/graphiql/".
func Handler() http.Handler {
	assets, err := fs.Sub(files, "assets")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	static := http.StripPrefix("/graphiql/assets/"+version+"/", http.FileServer(http.FS(assets)))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/graphiql":
			// Relative asset URLs resolve under /graphiql/.
			http.Redirect(w, r, "/graphiql/", http.StatusMovedPermanently)
		case r.URL.Path == "/graphiql/":
			page, _ := files.ReadFile("index.html")
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Cache-Control", "no-cache")
			w.Header().Set("Content-Security-Policy", csp)
			w.Header().Set("X-Content-Type-Options", "nosniff")
			_, _ = w.Write(page)
		case strings.HasPrefix(r.URL.Path, "/graphiql/assets/"+version+"/"):
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
			w.Header().Set("X-Content-Type-Options", "nosniff")
			static.ServeHTTP(w, r)
		default:
			http.NotFound(w, r)
		}
	})
}
