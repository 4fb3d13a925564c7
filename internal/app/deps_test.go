package app

import (
	"os/exec"
	"strings"
	"testing"
)

// The import rules of DESIGN.md: pure packages use only the standard
// library (and each other), inbound and outbound never import each other,
// and nothing imports graph.
func TestImportsPointOneWay(t *testing.T) {
	t.Parallel()
	const mod = "github.com/wexio/webhooks"
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}:{{join .Deps " "}}:{{join .Imports " "}}`, "github.com/wexio/webhooks/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps, imports := map[string][]string{}, map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		parts := strings.SplitN(line, ":", 3)
		deps[parts[0]], imports[parts[0]] = strings.Fields(parts[1]), strings.Fields(parts[2])
	}
	pure := map[string]bool{}
	for _, p := range []string{"config", "events", "verify", "capture", "jsonpath", "payload", "template"} {
		pure[mod+"/internal/"+p] = true
	}
	for p := range pure {
		for _, d := range deps[p] {
			if strings.Contains(strings.SplitN(d, "/", 2)[0], ".") && !pure[d] {
				t.Errorf("%s depends on %s; it may use only the standard library and the other pure packages", p, d)
			}
		}
	}
	forbid := map[string][]string{
		mod + "/internal/inbound":  {mod + "/internal/outbound"},
		mod + "/internal/outbound": {mod + "/internal/inbound"},
	}
	for pkg := range deps {
		if pkg != mod && pkg != mod+"/internal/app" && !strings.HasPrefix(pkg, mod+"/cmd/") {
			forbid[pkg] = append(forbid[pkg], mod+"/graph")
		}
	}
	for pkg, bad := range forbid {
		for _, d := range imports[pkg] {
			for _, b := range bad {
				if d == b && pkg != b {
					t.Errorf("%s imports %s", pkg, b)
				}
			}
		}
	}
}
