package verify

import (
	"bytes"
	"encoding/json"
	"strings"
)

// jsonObject decodes a JSON object body, keeping numbers as text so ids and
// millisecond timestamps survive exactly.
func jsonObject(body []byte) (map[string]any, bool) {
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	var m map[string]any
	if d.Decode(&m) != nil {
		return nil, false
	}
	return m, m != nil
}

// jsonField returns the string or number at a dotted path of a JSON object body.
func jsonField(body []byte, path string) (string, bool) {
	m, ok := jsonObject(body)
	if !ok {
		return "", false
	}
	return pathValue(m, path)
}

func pathValue(v any, path string) (string, bool) {
	for key := range strings.SplitSeq(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return "", false
		}
		if v, ok = m[key]; !ok {
			return "", false
		}
	}
	switch x := v.(type) {
	case string:
		return x, true
	case json.Number:
		return x.String(), true
	}
	return "", false
}
