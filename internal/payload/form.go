package payload

import (
	"fmt"
	"net/url"
)

// parseForm turns a urlencoded body into the JSON object that flows and
// templates see: one value stays a string, repeated keys become an array so
// no value sent is lost.
func parseForm(raw []byte) (any, error) {
	values, err := url.ParseQuery(string(raw))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidForm, err)
	}
	doc := make(map[string]any, len(values))
	for key, vs := range values {
		if len(vs) == 1 {
			doc[key] = vs[0]
			continue
		}
		list := make([]any, len(vs))
		for i, v := range vs {
			list[i] = v
		}
		doc[key] = list
	}
	return doc, nil
}
