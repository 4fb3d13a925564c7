// Command presetdoc renders the list of authentication presets from the
// registry (verify.Presets) as a Markdown table, so the README cannot drift
// from the code.
//
//	go run ./cmd/presetdoc        # print the table
//	go run ./cmd/presetdoc -w     # rewrite README.md between the markers
//
// The README holds the table between "<!-- presets:begin -->" and
// "<!-- presets:end -->"; the test beside this file fails when it differs.
package main
