package webhooks

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/internal/apperr"
	"github.com/wexio/webhooks/internal/egress"
	"github.com/wexio/webhooks/internal/redact"
)

// An outbound webhook's settings carry a receiver's credentials wherever
// its operator puts them: in a static header of any name, in a query value
// of its URL. Both are sealed like the auth secrets, and read back as
// redact.Marker; deliveries open them before every attempt.

// sealedPrefix marks a stored static header value that is sealed.
const sealedPrefix = "sealed:"

// urlContext binds a sealed URL to its webhook's url_sealed column, as a
// header's name binds its value: string(id)+"/"+name. No header can take
// it: stored header names are canonical, and "url" is not.
const urlContext = "/url"

// storedHeaders is how static headers h are stored: values of harmless
// headers as they are, every other one sealed, except those kept (given
// back as redact.Marker), which stay as stored unless stored before
// sealing was.
func (s *Service) storedHeaders(h map[string]string, kept map[string]bool, id pulid.ID) map[string]string {
	for k, v := range h {
		if redact.Harmless(k) || kept[k] && strings.HasPrefix(v, sealedPrefix) {
			continue
		}
		h[k] = s.sealHeader(id, k, v)
	}
	return h
}

func (s *Service) sealHeader(id pulid.ID, name, value string) string {
	return sealedPrefix + base64.RawStdEncoding.EncodeToString(s.box.Seal(value, string(id)+"/"+name))
}

// openHeader opens a sealed stored value; ok is false for one that is not
// (harmless, or stored before it was sealed).
func (s *Service) openHeader(id pulid.ID, name, stored string) (value string, ok bool, err error) {
	enc, sealed := strings.CutPrefix(stored, sealedPrefix)
	if !sealed || redact.Harmless(name) {
		return stored, false, nil
	}
	b, err := base64.RawStdEncoding.DecodeString(enc)
	if err != nil {
		return "", false, fmt.Errorf("header %s of %s: %w", name, id, err)
	}
	if value, err = s.box.Open(b, string(id)+"/"+name); err != nil {
		return "", false, fmt.Errorf("opening header %s of %s: %w", name, id, err)
	}
	return value, true, nil
}

// Headers returns w's static headers as they are sent, sealed values
// opened. It runs before every attempt: headers with nothing sealed are
// returned as stored, without a copy: the caller only reads them.
func (s *Service) Headers(w *ent.Webhook) (map[string]string, error) {
	sealed := false
	for _, v := range w.Headers {
		sealed = sealed || strings.HasPrefix(v, sealedPrefix)
	}
	if !sealed {
		return w.Headers, nil
	}
	out := make(map[string]string, len(w.Headers))
	for k, v := range w.Headers {
		v, _, err := s.openHeader(w.ID, k, v)
		if err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, nil
}

// URL returns the whole URL w's deliveries are sent to. It runs before
// every attempt: a URL without query values is the url column itself.
func (s *Service) URL(w *ent.Webhook) (string, error) {
	if len(w.URLSealed) == 0 {
		return w.URL, nil
	}
	u, err := s.box.Open(w.URLSealed, string(w.ID)+urlContext)
	if err != nil {
		return "", fmt.Errorf("opening the URL of %s: %w", w.ID, err)
	}
	return u, nil
}

// applyURL validates the URL given for webhook id and writes it: the url
// column with its query values redacted, and the whole URL sealed when the
// two differ. cur is the webhook as stored, nil on creation: query values
// given back as redact.Marker keep its values.
func (s *Service) applyURL(m *ent.WebhookMutation, id pulid.ID, given string, cur *ent.Webhook) error {
	current := func() (string, error) {
		if cur == nil {
			return "", nil
		}
		return s.URL(cur)
	}
	whole, err := keepQuery(strings.TrimSpace(given), current)
	if err != nil {
		return err
	}
	// The whole URL is what is sent, so it is what the egress rules judge.
	if err := egress.CheckURL(whole, s.cfg.AllowPrivateNetworks); err != nil {
		if errors.Is(err, egress.ErrBlockedAddress) && !s.cfg.AllowPrivateNetworks {
			return apperr.Invalid("url: %v; WEXIO_ALLOW_PRIVATE_NETWORKS=true allows private and loopback addresses, for development", err)
		}
		return apperr.Invalid("url: %v", err)
	}
	shown := redact.URL(whole)
	m.SetURL(shown)
	if shown == whole {
		m.ClearURLSealed()
		return nil
	}
	m.SetURLSealed(s.box.Seal(whole, string(id)+urlContext))
	return nil
}

// keepQuery is the URL given with each query value given as redact.Marker
// (as the API shows them) replaced by the stored value of the same key: a
// client can send back the settings it read. It keeps a value only at the
// same address (everything before the query) and key, its n-th occurrence
// for the key's n-th, so that no edit can send a stored credential to a
// receiver it was not given for.
func keepQuery(given string, current func() (string, error)) (string, error) {
	base, query, fragment := splitURL(given)
	parts := strings.Split(query, "&")
	marked := false
	for _, p := range parts {
		_, v, _ := strings.Cut(p, "=")
		marked = marked || isMarker(v)
	}
	if !marked {
		return given, nil
	}
	cur, err := current()
	if err != nil {
		return "", err
	}
	curBase, curQuery, _ := splitURL(cur)
	if cur == "" || curBase != base {
		return "", apperr.Invalid("url: a query value given as %s keeps the stored one only at the same address; give its value", redact.Marker)
	}
	stored := map[string][]string{}
	for _, p := range strings.Split(curQuery, "&") {
		k, _, _ := strings.Cut(p, "=")
		stored[k] = append(stored[k], p)
	}
	seen := map[string]int{}
	for i, p := range parts {
		k, v, _ := strings.Cut(p, "=")
		n := seen[k]
		seen[k]++
		if !isMarker(v) {
			continue
		}
		if n >= len(stored[k]) {
			return "", apperr.Invalid("url: %s is given as %s and has no stored value to keep; give its value", k, redact.Marker)
		}
		parts[i] = stored[k][n]
	}
	out := base + "?" + strings.Join(parts, "&")
	if fragment != nil {
		out += "#" + *fragment
	}
	return out, nil
}

// splitURL cuts raw into what precedes its query, the query, and the
// fragment (nil without a '#').
func splitURL(raw string) (base, query string, fragment *string) {
	rest, frag, hasFragment := strings.Cut(raw, "#")
	if hasFragment {
		fragment = &frag
	}
	base, query, _ = strings.Cut(rest, "?")
	return base, query, fragment
}

// isMarker reports whether a query value is redact.Marker, as shown or
// escaped by a client sending it back.
func isMarker(v string) bool {
	return v == redact.Marker || strings.EqualFold(v, "%5Bredacted%5D")
}
