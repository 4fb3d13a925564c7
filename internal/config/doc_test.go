package config

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = os.Getenv("WEXIO_UPDATE_DOCS") != ""

// TestConfigurationDocMatches: docs/configuration.md lists every setting
// as Markdown writes it; WEXIO_UPDATE_DOCS=1 rewrites the table.
func TestConfigurationDocMatches(t *testing.T) {
	t.Parallel()
	path := filepath.Join("..", "..", "docs", "configuration.md")
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const begin, end = "<!-- config:begin -->\n", "<!-- config:end -->"
	before, rest, ok := strings.Cut(string(doc), begin)
	_, after, ok2 := strings.Cut(rest, end)
	if !ok || !ok2 {
		t.Fatalf("%s lacks the %q and %q markers", path, begin, end)
	}
	var table bytes.Buffer
	Markdown(&table)
	want := before + begin + table.String() + end + after
	if update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if string(doc) != want {
		t.Errorf("%s does not list the settings as they are; rewrite it with WEXIO_UPDATE_DOCS=1 go test ./internal/config -run Doc", path)
	}
}
