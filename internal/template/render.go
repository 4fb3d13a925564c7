package template

import (
	"math"
	"net/http"
	"strings"
)

// renderer renders one template, tracking the JSON size of what it has
// produced so far so it can stop as soon as the output is too large.
type renderer struct {
	vars Vars
	max  int // bound on the output; math.MaxInt when unbounded
	used int
}

func newRenderer(vars Vars, maxBytes int) *renderer {
	if maxBytes <= 0 {
		maxBytes = math.MaxInt
	}
	return &renderer{vars: vars, max: maxBytes}
}

// add accounts for n more bytes of output.
func (r *renderer) add(n int) error {
	if n > r.max-r.used {
		return ErrTooLarge
	}
	r.used += n
	return nil
}

// addValue accounts for v's JSON encoding, without encoding a value that
// is already known to be too large.
func (r *renderer) addValue(v any) error {
	n, err := encodedLen(v, r.max-r.used)
	if err != nil {
		return err
	}
	r.used += n
	return nil
}

func (r *renderer) value(n *node) (any, error) {
	switch n.kind {
	case kindObject:
		return r.object(n)
	case kindArray:
		return r.array(n)
	case kindText:
		if ref := n.single(); ref != nil {
			v, ok := r.lookup(ref)
			if !ok {
				v = ""
			}
			return v, r.addValue(v)
		}
		// Quotes and escapes only add to the text's length, so bounding
		// the raw text by what is left is exact enough to stop early.
		s, err := r.text(n.parts, r.max-r.used)
		if err != nil {
			return nil, err
		}
		return s, r.addValue(s)
	default:
		return n.value, r.addValue(n.value)
	}
}

func (r *renderer) object(n *node) (any, error) {
	if err := r.add(2 + max(len(n.keys)-1, 0)); err != nil { // braces and commas
		return nil, err
	}
	out := make(map[string]any, len(n.keys))
	for i, k := range n.keys {
		if err := r.addValue(k); err != nil {
			return nil, err
		}
		if err := r.add(1); err != nil { // colon
			return nil, err
		}
		v, err := r.value(n.elems[i])
		if err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, nil
}

func (r *renderer) array(n *node) (any, error) {
	if err := r.add(2 + max(len(n.elems)-1, 0)); err != nil { // brackets and commas
		return nil, err
	}
	out := make([]any, len(n.elems))
	for i, e := range n.elems {
		v, err := r.value(e)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// lookup finds a placeholder's value; false means missing.
func (r *renderer) lookup(ref *ref) (any, bool) {
	switch ref.root {
	case rootPayload:
		return ref.path.Get(r.vars.Payload)
	case rootContact:
		if r.vars.Contact == nil {
			return nil, false
		}
		return ref.path.Get(r.vars.Contact)
	case rootWebhook:
		if r.vars.Webhook == nil {
			return nil, false
		}
		return ref.path.Get(r.vars.Webhook)
	case rootHeaders:
		return header(r.vars.Headers, ref.path[0])
	}
	return nil, false
}

// header returns the first value of the named header. Header maps built by
// hand may hold non-canonical names, hence the fallback scan.
func header(h http.Header, name string) (any, bool) {
	if vs := h.Values(name); len(vs) > 0 {
		return vs[0], true
	}
	for k, vs := range h {
		if strings.EqualFold(k, name) && len(vs) > 0 {
			return vs[0], true
		}
	}
	return nil, false
}
