package app

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestHelp(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"--help"}, {"help"}, {"serve", "-h"}} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), args, env(nil), &out, &errb); code != 0 || !strings.Contains(out.String(), "WEXIO_DATABASE_URL") {
			t.Errorf("%v: exit %d, stdout %.60q", args, code, out.String())
		}
	}
}

// The CLI commands work against the database file of a running server, and
// the server shuts down cleanly on cancellation.
func TestCLIWhileServerRuns(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	addr := freeAddr(t)
	e := env(map[string]string{
		"WEXIO_ADDR":         addr,
		"WEXIO_DATABASE_URL": "sqlite://" + filepath.Join(dir, "data", "wexio.db"),
		"WEXIO_API_KEY":      "wx_bootstrapbootstrapbootstrapbootstrap00",
	})
	ctx, cancel := context.WithCancel(context.Background())
	var serveErr bytes.Buffer
	done := make(chan int, 1)
	go func() { done <- run(ctx, nil, e, &bytes.Buffer{}, &serveErr) }()
	waitReady(t, "http://"+addr+"/readyz")

	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"workspace", "create", "Acme"}, e, &out, &errb); code != 0 {
		t.Fatalf("workspace create: exit %d: %s", code, errb.String())
	}
	wsKey := strings.TrimSpace(out.String())
	if !strings.HasPrefix(wsKey, "wx_") || strings.Count(out.String(), "\n") != 1 {
		t.Fatalf("stdout = %q, want the key alone", out.String())
	}
	out.Reset()
	if code := run(context.Background(), []string{"apikey", "create", "Acme"}, e, &out, &errb); code != 0 {
		t.Fatalf("apikey create: exit %d: %s", code, errb.String())
	}
	second := strings.TrimSpace(out.String())
	for _, k := range []string{wsKey, second, "wx_bootstrapbootstrapbootstrapbootstrap00"} {
		body := postQuery(t, "http://"+addr+"/query", k, `{"query":"{viewer{workspace{name}}}"}`)
		want := "Acme"
		if strings.HasPrefix(k, "wx_bootstrap") {
			want = "Default"
		}
		if !strings.Contains(body, `"name":"`+want+`"`) {
			t.Fatalf("key %s… sees %s, want %s", k[:7], body, want)
		}
	}
	if code := run(context.Background(), []string{"apikey", "create", "Nope"}, e, &out, &errb); code != 1 {
		t.Fatalf("apikey create for an unknown workspace: exit %d", code)
	}
	if strings.Contains(serveErr.String(), "bootstrap API key:") {
		t.Fatal("a key given in WEXIO_API_KEY must not be printed")
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve exited %d: %s", code, serveErr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not shut down")
	}
	if _, err := os.Stat(filepath.Join(dir, "data", "secret.key")); err != nil {
		t.Fatalf("secret key file: %v", err)
	}
}
