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

// URL is raw, an address deliveries are sent to, as the server stores,
// shows and logs it: every query value and a password replaced by Marker.
// A receiver's credential rides in the query under any key (?api_key=,
// ?code=, ?k=), so no value is trusted by its key's name. Keys, their
// order and encoding, empty values and the rest of the URL are kept, so it
// still shows where deliveries go; a URL redacted already comes back as
// it is.
func URL(raw string) string {
	if strings.IndexByte(raw, '@') >= 0 {
		raw = withoutPassword(raw)
	}
	rest, fragment, hasFragment := strings.Cut(raw, "#")
	base, query, hasQuery := strings.Cut(rest, "?")
	if !hasQuery || query == "" {
		return raw // the common case, without allocating on every attempt
	}
	parts := strings.Split(query, "&")
	changed := false
	for i, p := range parts {
		if k, v, ok := strings.Cut(p, "="); ok && v != "" && v != Marker {
			parts[i], changed = k+"="+Marker, true
		}
	}
	if !changed {
		return raw
	}
	out := base + "?" + strings.Join(parts, "&")
	if hasFragment {
		out += "#" + fragment
	}
	return out
}

// withoutPassword is raw with the password of its user info, if it has
// one, replaced by Marker; a URL that does not parse is kept as it is.
func withoutPassword(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	if _, has := u.User.Password(); !has {
		return raw
	}
	u.User = url.UserPassword(u.User.Username(), Marker)
	return u.String()
}
