package jsonpath

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrInvalid is wrapped by every error Parse returns.
var ErrInvalid = errors.New("jsonpath: invalid path")

// Path is a parsed path: one key or array index per element.
type Path []string

// Parse splits path at its dots. Every segment must be non-empty, which also
// rules out the empty path and leading, trailing or doubled dots.
func Parse(path string) (Path, error) {
	if path == "" {
		return nil, fmt.Errorf("%w: empty path", ErrInvalid)
	}
	p := Path(strings.Split(path, "."))
	for i, seg := range p {
		if seg == "" {
			return nil, fmt.Errorf("%w: empty segment %d in %q", ErrInvalid, i+1, path)
		}
	}
	return p, nil
}

// String writes p back in dot form.
func (p Path) String() string {
	return strings.Join(p, ".")
}

// Get returns the value at path in doc, as Path.Get does; an unparsable
// path finds nothing.
func Get(doc any, path string) (any, bool) {
	p, err := Parse(path)
	if err != nil {
		return nil, false
	}
	return p.Get(doc)
}

// Get walks doc, a value as encoding/json decodes into any. On an array a
// segment must be a canonical index (0, 1, ... without sign or leading
// zeros); on an object every segment, digits included, is a key. The boolean
// reports whether the value exists, so a present JSON null is (nil, true).
func (p Path) Get(doc any) (any, bool) {
	cur := doc
	for _, seg := range p {
		switch node := cur.(type) {
		case map[string]any:
			v, ok := node[seg]
			if !ok {
				return nil, false
			}
			cur = v
		case []any:
			i, ok := index(seg)
			if !ok || i >= len(node) {
				return nil, false
			}
			cur = node[i]
		default:
			return nil, false
		}
	}
	return cur, true
}

// index parses seg as an array index. Only the canonical form counts so one
// element has exactly one path.
func index(seg string) (int, bool) {
	if seg == "" || (len(seg) > 1 && seg[0] == '0') {
		return 0, false
	}
	for i := 0; i < len(seg); i++ {
		if seg[i] < '0' || seg[i] > '9' {
			return 0, false
		}
	}
	i, err := strconv.Atoi(seg)
	return i, err == nil
}
