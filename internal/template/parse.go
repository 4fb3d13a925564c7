package template

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

type kind uint8

const (
	kindLiteral kind = iota // any JSON value without placeholders
	kindText                // a string with at least one placeholder
	kindObject
	kindArray
)

// node is one parsed template value.
type node struct {
	kind  kind
	value any      // kindLiteral
	parts []part   // kindText
	keys  []string // kindObject, sorted; elems holds their values
	elems []*node  // kindObject, kindArray
}

// part is a run of literal text, or a placeholder when ref is set.
type part struct {
	text string
	ref  *ref
}

// single reports whether n is a string made of exactly one placeholder, the
// case that keeps its value's JSON type.
func (n *node) single() *ref {
	if n.kind == kindText && len(n.parts) == 1 {
		return n.parts[0].ref
	}
	return nil
}

func (t *Template) parseValue(v any, at string, depth int) (*node, error) {
	if depth > MaxDepth {
		return nil, &Error{At: at, Reason: "value nested deeper than 64"}
	}
	switch v := v.(type) {
	case string:
		return t.parseText(v, at)
	case map[string]any:
		n := &node{kind: kindObject, keys: make([]string, 0, len(v))}
		for k := range v {
			n.keys = append(n.keys, k)
		}
		slices.Sort(n.keys)
		for _, k := range n.keys {
			e, err := t.parseValue(v[k], join(at, k), depth+1)
			if err != nil {
				return nil, err
			}
			n.elems = append(n.elems, e)
		}
		return n, nil
	case []any:
		n := &node{kind: kindArray, elems: make([]*node, 0, len(v))}
		for i, ev := range v {
			e, err := t.parseValue(ev, join(at, strconv.Itoa(i)), depth+1)
			if err != nil {
				return nil, err
			}
			n.elems = append(n.elems, e)
		}
		return n, nil
	case nil, bool, json.Number, float64, float32, int, int32, int64, uint, uint32, uint64:
		return &node{kind: kindLiteral, value: v}, nil
	default:
		return nil, &Error{At: at, Reason: fmt.Sprintf("unsupported value type %T", v)}
	}
}

// parseText splits s into literal runs and placeholders. Every "{{" opens a
// placeholder; there is no escape, which keeps the rules easy to state.
func (t *Template) parseText(s, at string) (*node, error) {
	var parts []part
	rest := s
	for {
		open := strings.Index(rest, "{{")
		if open < 0 {
			break
		}
		if open > 0 {
			parts = append(parts, part{text: rest[:open]})
		}
		end := strings.Index(rest[open+2:], "}}")
		if end < 0 {
			return nil, &Error{At: at, Reason: `unterminated "{{"`, Text: shorten(rest[open:])}
		}
		raw := rest[open : open+2+end+2]
		r, reason := parseRef(rest[open+2 : open+2+end])
		if reason != "" {
			return nil, &Error{At: at, Reason: reason, Text: shorten(raw)}
		}
		t.addPlaceholder(r.raw)
		parts = append(parts, part{ref: r})
		rest = rest[open+2+end+2:]
	}
	if parts == nil {
		return &node{kind: kindLiteral, value: s}, nil
	}
	if rest != "" {
		parts = append(parts, part{text: rest})
	}
	return &node{kind: kindText, parts: parts}, nil
}

func (t *Template) addPlaceholder(raw string) {
	if !slices.Contains(t.placeholders, raw) {
		t.placeholders = append(t.placeholders, raw)
	}
}

func join(at, seg string) string {
	if at == "" {
		return seg
	}
	return at + "." + seg
}

// shorten keeps error messages readable when the offending text is long.
func shorten(s string) string {
	const limit = 60
	if len(s) <= limit {
		return s
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
