package verify

import (
	"crypto/hmac"
	"fmt"
)

// scheme is one row of the HMAC engine: every HMAC provider (the native
// modes, the F1-F5 presets and GENERIC_HMAC) is a value of it.
type scheme struct {
	headers []string // signature header names, first present wins
	alg     algorithm
	enc     encoding
	prefix  string // stripped when present (listSingle)
	list    sigList
	content string // signed-payload template
	ts      tsSource
	id      []string              // headers that fill {id}
	key     keyDecoding           // how a secret becomes the HMAC key
	urls    func(string) []string // spellings of {url} to try; nil: as given
}

var _ authenticator = (*scheme)(nil)

// authenticate checks, in order: a signature is there, its header parses, the
// signed parts are there, a MAC matches a secret, then the timestamp. The
// window is checked last so "timestamp outside tolerance" only ever describes
// a genuine but stale (or early) request.
func (s *scheme) authenticate(in input) (int, error) {
	tmpl, err := parseTemplate(s.content)
	if err != nil {
		return -1, ErrMisconfigured
	}
	lines := headerLines(in.req.Header, s.headers)
	if len(lines) == 0 {
		return -1, ErrMissingSignature
	}
	sigs, err := s.list.parse(lines, s.enc, s.prefix)
	if err != nil {
		return -1, err
	}
	v := values{body: in.req.Body, method: in.req.Method, url: in.req.URL}
	ts, hasTS := s.ts.lookup(in.req, sigs)
	if !hasTS && (tmpl.uses(fieldTimestamp) || (!s.ts.none() && in.tolerance > 0)) {
		return -1, ErrMissingTimestamp
	}
	v.timestamp = ts
	if tmpl.uses(fieldID) {
		if v.id = headerValue(in.req.Header, s.id...); v.id == "" {
			return -1, ErrMissingID
		}
	}
	i := s.match(in.secrets, tmpl, v, sigs.macs)
	if i < 0 {
		return -1, ErrInvalidSignature
	}
	if hasTS {
		if err := s.ts.check(ts, in.now, in.tolerance); err != nil {
			return -1, err
		}
	}
	return i, nil
}

// match returns the index of the first secret whose MAC equals any of macs.
func (s *scheme) match(secrets []string, t template, v values, macs [][]byte) int {
	if len(macs) == 0 {
		return -1
	}
	urls := []string{v.url}
	if s.urls != nil && t.uses(fieldURL) {
		urls = s.urls(v.url)
	}
	for i, secret := range secrets {
		key, ok := s.key.key(secret)
		if !ok {
			continue
		}
		for _, u := range urls {
			v.url = u
			mac := hmac.New(s.alg.new, key)
			t.write(mac, v)
			if anyEqual(mac.Sum(nil), macs) {
				return i
			}
		}
	}
	return -1
}

// anyEqual compares sum with every candidate in constant time each.
func anyEqual(sum []byte, macs [][]byte) bool {
	found := false
	for _, m := range macs {
		if hmac.Equal(sum, m) {
			found = true
		}
	}
	return found
}

func (s *scheme) checkSecret(secret string) error {
	if _, ok := s.key.key(secret); !ok {
		return fmt.Errorf("%w: it must be whsec_ followed by the base64 key", ErrInvalidSecret)
	}
	return nil
}
