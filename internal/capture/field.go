package capture

import (
	"errors"
	"strings"
)

// Limits on what Infer reads and returns.
const (
	MaxDepth  = 64   // objects and arrays counted alike, as inbound parsing does
	MaxFields = 1000 // fields past this are dropped, the document is still read
)

// Errors returned by Infer; decide with errors.Is.
var (
	ErrInvalidJSON = errors.New("capture: invalid JSON")
	ErrTooDeep     = errors.New("capture: JSON nested deeper than 64")
)

// Field types, as SchemaField.type names them.
const (
	TypeString  = "string"
	TypeNumber  = "number"
	TypeBoolean = "boolean"
	TypeObject  = "object"
	TypeArray   = "array"
	TypeNull    = "null"
)

// Field is one path of a document. Array elements are written items[], so
// items[].sku stands for the sku of every element.
type Field struct {
	Path    string `json:"path"`
	Type    string `json:"type"`
	Example any    `json:"example"` // a scalar sample (json.Number for numbers); nil for containers and nulls
}

// TemplatePaths turns fields into paths that templates and contact
// resolution accept, taking the first element of each array:
// items[].sku becomes items.0.sku. Order is kept and duplicates dropped.
func TemplatePaths(fields []Field) []string {
	seen := make(map[string]bool, len(fields))
	paths := make([]string, 0, len(fields))
	for _, f := range fields {
		p := strings.TrimPrefix(strings.ReplaceAll(f.Path, "[]", ".0"), ".")
		if p == "" || seen[p] {
			continue
		}
		seen[p] = true
		paths = append(paths, p)
	}
	return paths
}
