package app

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// The rooms of DESIGN.md, checked on every package's transitive
// dependencies (what it pulls in, not only what it imports): pure packages
// use only the standard library and each other; receiving a request pulls
// in nothing of delivering one, and the reverse; managing webhooks pulls
// in no dispatcher; only the composition root knows graph, and only
// internal/db knows the store drivers.
func TestImportsPointOneWay(t *testing.T) {
	t.Parallel()
	const mod = "github.com/wexio/webhooks"
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}:{{join .Deps " "}}`, mod+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, ds, _ := strings.Cut(line, ":")
		deps[pkg] = strings.Fields(ds)
	}
	in := func(p string) string { return mod + "/internal/" + p }
	pure := map[string]bool{}
	for _, p := range []string{"config", "events", "verify", "capture", "jsonpath", "payload", "template", "redact", "signing", "egress", "tenant", "connlimit"} {
		pure[in(p)] = true
	}
	for p := range pure {
		if _, ok := deps[p]; !ok {
			t.Errorf("pure package %s does not exist", p)
		}
		for _, d := range deps[p] {
			if strings.Contains(strings.SplitN(d, "/", 2)[0], ".") && !pure[d] {
				t.Errorf("%s depends on %s; it may use only the standard library and the other pure packages", p, d)
			}
		}
	}
	forbid := map[string][]string{
		in("inbound"):  {in("outbound"), in("webhooks"), in("egress"), in("signing"), in("deliveries")},
		in("outbound"): {in("inbound"), in("webhooks")},
		in("webhooks"): {in("outbound"), in("inbound")},
		in("history"):  {in("inbound"), in("outbound")},
		mod + "/graph": {in("outbound"), in("inbound")},
		in("store"):    {in("db"), in("db/sqlite"), in("db/postgres"), in("groupcommit")},
	}
	for pkg := range deps {
		switch {
		case pkg == mod, pkg == in("app"), strings.HasPrefix(pkg, mod+"/cmd/"):
		case pkg == in("db"), pkg == in("db/dbtest"):
			forbid[pkg] = append(forbid[pkg], mod+"/graph")
		default:
			forbid[pkg] = append(forbid[pkg], mod+"/graph", in("db/sqlite"), in("db/postgres"))
		}
	}
	for pkg, bad := range forbid {
		if _, ok := deps[pkg]; !ok {
			t.Errorf("package %s does not exist", pkg)
		}
		for _, b := range bad {
			if pkg != b && slices.Contains(deps[pkg], b) {
				t.Errorf("%s depends on %s", pkg, b)
			}
		}
	}
}
