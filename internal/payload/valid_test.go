package payload

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// validateBefore is Validate as it was before scan: checkDepth, then
// json.Valid, then the decoder for the message. scan must answer exactly
// as it did.
func validateBefore(raw []byte) error {
	if err := checkDepth(raw, MaxDepth); err != nil {
		return err
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return fmt.Errorf("%w: empty body", ErrInvalidJSON)
	}
	if !json.Valid(raw) {
		_, err := parseJSON(raw)
		return err
	}
	return nil
}

// scanCases are documents at the edges of the grammar json.Valid takes.
var scanCases = []string{
	``, ` `, `0`, `-0`, `-`, `01`, `1.`, `1.5`, `1e`, `1e+`, `1E-7`, `-1.5e10`, `.5`, `+1`,
	`true`, `tru`, `truex`, `false`, `null`, `nul`, `"`, `""`, `"\"`, `"\u00e9"`, `"\u00g9"`, `"\u12"`,
	`"\x"`, "\"\x01\"", "\"\x7f\xff\xfe\"", `"\/\b\f\n\r\t"`, `[]`, `[,]`, `[1,]`, `[1 2]`, `{}`, `{,}`,
	`{"a"}`, `{"a":}`, `{"a":1,}`, `{"a":1 "b":2}`, `{1:2}`, ` {"a" : [ 1 , { } ] } `, `{"a":1}x`,
	"\t\n\r[\r\n]\t", `[1]]`, `{"a":"\"[[["}`, `"` + "\u2028" + `"`,
	nest("[", "]", 64, ""), nest("[", "]", 65, ""), nest("[", "]", 65, "x"), mixed(64), mixed(65),
	nest("[", "]", 63, `"a"`), `[` + nest("[", "]", 70, ""),
}

// TestScanAnswersAsBefore: Validate's verdicts and messages are those of
// checkDepth, json.Valid and the decoder, on the grammar's edges.
func TestScanAnswersAsBefore(t *testing.T) {
	t.Parallel()
	for _, c := range scanCases {
		got, want := Validate("application/json", []byte(c)), validateBefore([]byte(c))
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%q: %v, want %v", c, got, want)
		}
	}
}

func FuzzScan(f *testing.F) {
	for _, c := range scanCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		got, want := Validate("application/json", raw), validateBefore(raw)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("%q: %v, want %v", raw, got, want)
		}
	})
}

// BenchmarkValidate: a 1 KB event checked by Validate (scan) and as before
// (checkDepth, then json.Valid).
//
//	go test ./internal/payload -run '^$' -bench Validate
func BenchmarkValidate(b *testing.B) {
	raw := []byte(`{"id":"evt_1","type":"order.created","data":{"items":[` +
		strings.Repeat(`{"sku":"SKU-00001","name":"Widget model 1","quantity":2,"unit_amount":2000},`, 12) +
		`{"a":1}],"total":12345,"livemode":false}}`)
	b.Run("scan", func(b *testing.B) {
		for b.Loop() {
			_ = Validate("application/json", raw)
		}
	})
	b.Run("before", func(b *testing.B) {
		for b.Loop() {
			_ = validateBefore(raw)
		}
	})
}
