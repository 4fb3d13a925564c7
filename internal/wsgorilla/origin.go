package wsgorilla

import (
	"net/http"
	"net/url"
	"strings"
)

// SameOrigin accepts a request without an Origin header (servers and CLI
// clients send none; only browsers do) or whose Origin host equals the
// request's Host. It is gorilla's default, named so options can extend it.
func SameOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil {
		return false
	}
	return strings.EqualFold(u.Host, r.Host)
}

// WithAllowAllOrigins accepts any Origin. For development only: it lets any
// web page open a connection with the visitor's browser.
func WithAllowAllOrigins() Option {
	return func(g *Gorilla) {
		g.Upgrader.CheckOrigin = func(*http.Request) bool { return true }
	}
}

// WithAllowedOrigins accepts what SameOrigin accepts plus the listed
// origins, compared without regard to case. An entry is either a full
// origin ("https://app.example.com", "http://localhost:5173"), which must
// match scheme, host and port, or a bare host ("app.example.com:8443"),
// which matches under any scheme. "*" allows all origins.
func WithAllowedOrigins(origins ...string) Option {
	allowed := make([]string, 0, len(origins))
	for _, o := range origins {
		o = strings.TrimSuffix(strings.TrimSpace(o), "/")
		if o == "*" {
			return WithAllowAllOrigins()
		}
		if o != "" {
			allowed = append(allowed, o)
		}
	}
	return func(g *Gorilla) {
		g.Upgrader.CheckOrigin = func(r *http.Request) bool {
			return SameOrigin(r) || originListed(r.Header.Get("Origin"), allowed)
		}
	}
}

func originListed(origin string, allowed []string) bool {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false
	}
	full := u.Scheme + "://" + u.Host
	for _, a := range allowed {
		if strings.Contains(a, "://") {
			if strings.EqualFold(a, full) {
				return true
			}
		} else if strings.EqualFold(a, u.Host) {
			return true
		}
	}
	return false
}
