package main

import (
	"os"
	"strings"
	"testing"

	"github.com/wexio/webhooks/internal/verify"
)

const readmePath = "../../README.md"

// The README's preset list is exactly what the registry renders to.
func TestReadmeListsEveryPreset(t *testing.T) {
	table, err := render(verify.Presets())
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	got, err := generated(readme)
	if err != nil {
		t.Fatalf("%v: add the markers, then run go run ./cmd/presetdoc -w", err)
	}
	if string(got) != "\n"+table {
		t.Fatalf("the preset list in README.md is out of date: run go run ./cmd/presetdoc -w")
	}
	for _, p := range verify.Presets() {
		if !strings.Contains(table, "| `"+p.Key+"` |") {
			t.Errorf("preset %q is not in the table", p.Key)
		}
	}
}

// Every extra header names a preset of the registry, so a removed preset
// does not linger here.
func TestHeadersNamePresets(t *testing.T) {
	for key := range headers {
		if _, ok := verify.LookupPreset(key); !ok {
			t.Errorf("headers has %q, which is not a preset", key)
		}
	}
}

// splice replaces only what is between the markers, and is idempotent.
func TestSplice(t *testing.T) {
	in := "# T\n\nintro\n" + beginMarker + "\nold\n" + endMarker + "\n\nafter\n"
	out, err := splice([]byte(in), "| new |\n")
	if err != nil {
		t.Fatal(err)
	}
	want := "# T\n\nintro\n" + beginMarker + "\n| new |\n" + endMarker + "\n\nafter\n"
	if string(out) != want {
		t.Fatalf("splice:\n%s\nwant:\n%s", out, want)
	}
	again, _ := splice(out, "| new |\n")
	if string(again) != want {
		t.Fatalf("splice is not idempotent:\n%s", again)
	}
	if g, _ := generated(out); string(g) != "\n| new |\n" {
		t.Fatalf("generated %q", g)
	}
	for _, bad := range []string{"no markers", beginMarker + " only", endMarker + " then " + beginMarker} {
		if _, err := splice([]byte(bad), "x"); err == nil {
			t.Errorf("splice(%q) did not fail", bad)
		}
	}
}
