package redact

import (
	"net/url"
	"strings"
)

// Query returns raw, a URL's query, as it came, the values of secret keys
// (IsSecret) aside: those become Marker. Order and encoding are kept, since
// a signature over the URL (Twilio, Square) is checked on them.
func Query(raw string, extra map[string]bool) string {
	parts := strings.Split(raw, "&")
	for i, p := range parts {
		k, _, _ := strings.Cut(p, "=")
		name, err := url.QueryUnescape(k)
		if err != nil {
			name = k
		}
		if IsSecret(name, extra) {
			parts[i] = k + "=" + url.QueryEscape(Marker)
		}
	}
	return strings.Join(parts, "&")
}

// URL is raw as a log keeps an address we send to: a password in it and the
// values of secret query keys replaced by Marker. A URL that does not
// parse, or holds neither, is kept as it is.
func URL(raw string) string {
	if !strings.ContainsAny(raw, "?@") {
		return raw // the common case, without parsing on every attempt
	}
	u, err := url.Parse(raw)
	if err != nil || (u.User == nil && u.RawQuery == "") {
		return raw
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), Marker)
	}
	if u.RawQuery != "" {
		u.RawQuery = Query(u.RawQuery, nil)
	}
	return u.String()
}
