package verify

import (
	"fmt"
	"strings"
)

// defaultIDHeader fills {id} in GENERIC_HMAC when IDHeader is empty: the
// Standard Webhooks name is the one custom senders most often copy.
const defaultIDHeader = "webhook-id"

// genericScheme turns GENERIC_HMAC parameters into an engine row. Its errors
// are fit to show the user who typed the parameters.
func genericScheme(p *HMACParams) (*scheme, error) {
	if p == nil {
		return nil, fmt.Errorf("%w: they are required in GENERIC_HMAC mode", ErrInvalidHMAC)
	}
	alg, ok := parseAlgorithm(p.Algorithm)
	if !ok {
		return nil, fmt.Errorf("%w: unknown algorithm %q (use SHA1, SHA256 or SHA512)", ErrInvalidHMAC, p.Algorithm)
	}
	enc, ok := parseEncoding(p.Encoding)
	if !ok {
		return nil, fmt.Errorf("%w: unknown encoding %q (use HEX or BASE64)", ErrInvalidHMAC, p.Encoding)
	}
	if err := checkHeaderNames(p); err != nil {
		return nil, err
	}
	tmpl, err := parseTemplate(p.SignedPayload)
	if err != nil {
		return nil, err
	}
	if !tmpl.uses(fieldBody) {
		return nil, fmt.Errorf("%w: it must include {body}", ErrInvalidTemplate)
	}
	if tmpl.uses(fieldTimestamp) && p.TimestampHeader == "" {
		return nil, fmt.Errorf("%w: {timestamp} needs a timestamp header", ErrInvalidTemplate)
	}
	s := &scheme{
		headers: []string{p.Header}, alg: alg, enc: enc, prefix: p.Prefix,
		content: p.SignedPayload, id: []string{defaultIDHeader}, ts: tsSource{unit: unitAuto},
	}
	if p.IDHeader != "" {
		s.id = []string{p.IDHeader}
	}
	if p.TimestampHeader != "" {
		s.ts.headers = []string{p.TimestampHeader}
	}
	return s, nil
}

func checkHeaderNames(p *HMACParams) error {
	if !validHeaderName(p.Header) {
		return fmt.Errorf("%w: a valid signature header name is required", ErrInvalidHMAC)
	}
	if p.TimestampHeader != "" && !validHeaderName(p.TimestampHeader) {
		return fmt.Errorf("%w: invalid timestamp header name", ErrInvalidHMAC)
	}
	if p.IDHeader != "" && !validHeaderName(p.IDHeader) {
		return fmt.Errorf("%w: invalid id header name", ErrInvalidHMAC)
	}
	return nil
}

// validHeaderName reports whether s is an HTTP token (RFC 9110 field-name).
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		alnum := c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !alnum && !strings.ContainsRune("!#$%&'*+-.^_`|~", rune(c)) {
			return false
		}
	}
	return true
}

// params expresses s as GENERIC_HMAC parameters, or nil when it needs more
// than they can say (a signature list, a timestamp inside the signature or the
// body, a decoded key, an RFC 3339 timestamp).
func (s *scheme) params() *HMACParams {
	if s.list.format != listSingle || s.key != keyRaw || s.ts.inSig || s.ts.json != "" {
		return nil
	}
	if len(s.ts.headers) > 0 && (s.ts.unit == unitRFC3339 || s.ts.unit == unitLoose) {
		return nil
	}
	p := &HMACParams{
		Header: s.headers[0], Algorithm: s.alg.String(), Encoding: s.enc.String(),
		Prefix: s.prefix, SignedPayload: s.content,
	}
	if len(s.ts.headers) > 0 {
		p.TimestampHeader = s.ts.headers[0]
	}
	if strings.Contains(s.content, "{id}") {
		p.IDHeader = s.id[0]
	}
	return p
}
