package capture

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Infer returns every path of raw, a JSON document, containers included, in
// document order. Object fields of array elements are merged across all
// elements in first-seen order. A path seen with several types keeps its first
// non-null one, and its example comes from a value of that type. The root
// itself has no path: a root array's elements are "[]", a root scalar yields
// no fields.
//
// Infer walks decoder tokens rather than decoding into maps, because maps
// would lose the order users see in the payload.
func Infer(raw []byte) ([]Field, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	in := &inferrer{dec: dec, index: make(map[string]int)}
	tok, err := dec.Token()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: empty document", ErrInvalidJSON)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidJSON, err)
	}
	if err := in.value(tok, "", 0); err != nil {
		return nil, err
	}
	if tok, err := dec.Token(); !errors.Is(err, io.EOF) {
		if err == nil {
			err = fmt.Errorf("unexpected %v after the document", tok)
		}
		return nil, fmt.Errorf("%w: %w", ErrInvalidJSON, err)
	}
	return in.fields, nil
}

type inferrer struct {
	dec    *json.Decoder
	fields []Field
	index  map[string]int // path → position in fields
}

// value records the value starting with tok at path, then reads its
// children. depth is the number of containers around it.
func (in *inferrer) value(tok json.Token, path string, depth int) error {
	switch tok := tok.(type) {
	case json.Delim:
		if depth+1 > MaxDepth {
			return fmt.Errorf("%w (at %s)", ErrTooDeep, path)
		}
		if tok == '{' {
			in.record(path, TypeObject, nil)
			return in.object(path, depth+1)
		}
		in.record(path, TypeArray, nil)
		return in.array(path, depth+1)
	case string:
		in.record(path, TypeString, tok)
	case json.Number:
		in.record(path, TypeNumber, tok)
	case bool:
		in.record(path, TypeBoolean, tok)
	case nil:
		in.record(path, TypeNull, nil)
	}
	return nil
}

func (in *inferrer) object(path string, depth int) error {
	for {
		tok, err := in.token()
		if err != nil {
			return err
		}
		if tok == json.Delim('}') {
			return nil
		}
		key, _ := tok.(string) // the decoder only yields strings in key position
		val, err := in.token()
		if err != nil {
			return err
		}
		child := key
		if depth > 1 { // below the root, whose own path is empty
			child = path + "." + key
		}
		if err := in.value(val, child, depth); err != nil {
			return err
		}
	}
}

func (in *inferrer) array(path string, depth int) error {
	for {
		tok, err := in.token()
		if err != nil {
			return err
		}
		if tok == json.Delim(']') {
			return nil
		}
		if err := in.value(tok, path+"[]", depth); err != nil {
			return err
		}
	}
}

func (in *inferrer) token() (json.Token, error) {
	tok, err := in.dec.Token()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: %w", ErrInvalidJSON, io.ErrUnexpectedEOF)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidJSON, err)
	}
	return tok, nil
}

// record merges one sighting of path. The first non-null type wins, so a
// field that is sometimes null still shows what it holds when it is set. The
// empty path (the root, or an empty key at the root) is never a field.
func (in *inferrer) record(path, typ string, example any) {
	if path == "" {
		return
	}
	if i, ok := in.index[path]; ok {
		if f := &in.fields[i]; f.Type == TypeNull && typ != TypeNull {
			f.Type, f.Example = typ, example
		}
		return
	}
	if len(in.fields) >= MaxFields {
		return
	}
	in.index[path] = len(in.fields)
	in.fields = append(in.fields, Field{Path: path, Type: typ, Example: example})
}
