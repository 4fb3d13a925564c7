package verify

import (
	"net/http"
	"strings"
)

// listFormat is how a signature header lays out its signatures.
type listFormat uint8

const (
	listSingle    listFormat = iota // one MAC per header line, optional prefix (GitHub, Shopify)
	listPairs                       // key=value pairs: Stripe "t=..,v1=..", Paddle "ts=..;h1=.."
	listTagged                      // comma list of tag=MAC: Revolut "v1=..,v1=.."
	listVersioned                   // space list of tag,MAC: Standard Webhooks "v1,.. v1,.."
	listLeadingTS                   // comma list "ts,MAC,MAC": Recurly
)

// sigList says how to read a signature header.
type sigList struct {
	format listFormat
	sep    string // listPairs: between pairs
	tsKey  string // listPairs: key of the timestamp
	tag    string // the only version counted ("v1", "h1"); others are ignored
}

// signatures is what a signature header held. Entries that failed to decode
// or carried another version tag are already dropped.
type signatures struct {
	ts    string
	hasTS bool
	macs  [][]byte
}

func (s *signatures) add(enc encoding, v string) {
	if mac, ok := enc.decode(strings.TrimSpace(v)); ok {
		s.macs = append(s.macs, mac)
	}
}

// parse reads the header's lines. Only a single-MAC header may repeat (Mollie
// sends it twice while rotating); the list formats carry one line.
func (l sigList) parse(lines []string, enc encoding, prefix string) (signatures, error) {
	var s signatures
	switch l.format {
	case listPairs:
		return parsePairs(lines[0], l.sep, l.tsKey, l.tag, enc)
	case listTagged:
		return parseTagged(lines[0], "=", ",", l.tag, enc)
	case listVersioned:
		return parseTagged(lines[0], ",", " ", l.tag, enc)
	case listLeadingTS:
		return parseLeadingTS(lines[0], enc)
	}
	for _, v := range lines {
		s.add(enc, trimPrefix(strings.TrimSpace(v), prefix))
	}
	return s, nil
}

// parsePairs follows stripe-go: a pair without '=' makes the header malformed;
// the first timestamp wins; only tag entries count.
func parsePairs(v, sep, tsKey, tag string, enc encoding) (signatures, error) {
	var s signatures
	for item := range strings.SplitSeq(v, sep) {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		k, val, ok := strings.Cut(item, "=")
		if !ok {
			return signatures{}, ErrMalformedSignature
		}
		k, val = strings.TrimSpace(k), strings.TrimSpace(val)
		switch {
		case k == tsKey && !s.hasTS:
			s.ts, s.hasTS = val, val != ""
		case k == tag:
			s.add(enc, val)
		}
	}
	return s, nil
}

// parseTagged reads entries "<tag><kv><mac>" separated by sep. Entries of
// other versions are skipped (Standard Webhooks' v1a); a header with no entry
// of the right shape at all is malformed.
func parseTagged(v, kv, sep, tag string, enc encoding) (signatures, error) {
	var s signatures
	shaped := false
	for item := range strings.SplitSeq(v, sep) {
		k, val, ok := strings.Cut(strings.TrimSpace(item), kv)
		if !ok {
			continue
		}
		shaped = true
		if strings.TrimSpace(k) == tag {
			s.add(enc, val)
		}
	}
	if !shaped {
		return signatures{}, ErrMalformedSignature
	}
	return s, nil
}

// parseLeadingTS reads Recurly's "<ts_ms>,<mac>[,<mac>...]".
func parseLeadingTS(v string, enc encoding) (signatures, error) {
	ts, rest, ok := strings.Cut(v, ",")
	if !ok {
		return signatures{}, ErrMalformedSignature
	}
	s := signatures{ts: strings.TrimSpace(ts)}
	s.hasTS = s.ts != ""
	for mac := range strings.SplitSeq(rest, ",") {
		s.add(enc, mac)
	}
	return s, nil
}

// headerLines returns the non-empty lines of the first of names that has any.
func headerLines(h http.Header, names []string) []string {
	for _, name := range names {
		var lines []string
		for _, v := range h.Values(name) {
			if v = strings.TrimSpace(v); v != "" {
				lines = append(lines, v)
			}
		}
		if len(lines) > 0 {
			return lines
		}
	}
	return nil
}

// headerValue returns the first non-empty value among names, trimmed.
func headerValue(h http.Header, names ...string) string {
	if lines := headerLines(h, names); len(lines) > 0 {
		return lines[0]
	}
	return ""
}
