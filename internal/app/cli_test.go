package app

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wexio/webhooks/internal/config"
)

func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestBadConfigurationExitsWithStatus2(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"bad max bytes", nil, map[string]string{"WEXIO_INBOUND_MAX_BYTES": "lots"}, "WEXIO_INBOUND_MAX_BYTES"},
		{"bad retries", nil, map[string]string{"WEXIO_OUTBOUND_MAX_RETRIES": "-1"}, "WEXIO_OUTBOUND_MAX_RETRIES"},
		{"bad duration", nil, map[string]string{"WEXIO_OUTBOUND_TIMEOUT": "soon"}, "WEXIO_OUTBOUND_TIMEOUT"},
		{"bad bool", nil, map[string]string{"WEXIO_ALLOW_PRIVATE_NETWORKS": "maybe"}, "WEXIO_ALLOW_PRIVATE_NETWORKS"},
		{"bad secret key", nil, map[string]string{"WEXIO_SECRET_KEY": "c2hvcnQ="}, "WEXIO_SECRET_KEY"},
		{"bad database url", nil, map[string]string{"WEXIO_DATABASE_URL": "mysql://x"}, "WEXIO_DATABASE_URL"},
		{"bad public url", nil, map[string]string{"WEXIO_PUBLIC_URL": "not a url"}, "WEXIO_PUBLIC_URL"},
		{"bad flag value", []string{"serve", "--retention", "forever"}, nil, "--retention"},
		{"unknown command", []string{"frobnicate"}, nil, "unknown command"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var out, errb bytes.Buffer
			code := run(context.Background(), tc.args, env(tc.env), &out, &errb)
			if code != 2 || !strings.Contains(errb.String(), tc.want) {
				t.Fatalf("exit %d, stderr %q: want 2 naming %s", code, errb.String(), tc.want)
			}
			// Bad configuration is one line; a bad command also shows the usage.
			if tc.name != "unknown command" && strings.Count(errb.String(), "\n") != 1 {
				t.Fatalf("stderr %q: want one line", errb.String())
			}
		})
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"--help"}, {"help"}, {"serve", "-h"}} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), args, env(nil), &out, &errb); code != 0 || !strings.Contains(out.String(), "WEXIO_DATABASE_URL") {
			t.Errorf("%v: exit %d, stdout %.60q", args, code, out.String())
		}
	}
}

// TestUnusableConfigurationExitsWithStatus2: settings that parse but cannot
// work, found only at start, are bad configuration too: exit 2, one line
// naming the variable, and nothing created or printed for them.
func TestUnusableConfigurationExitsWithStatus2(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	isDir := filepath.Join(dir, "db")
	if err := os.Mkdir(isDir, 0o700); err != nil {
		t.Fatal(err)
	}
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	cases := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"database path is a directory", map[string]string{"WEXIO_DATABASE_URL": "sqlite://" + isDir}, "WEXIO_DATABASE_URL"},
		{"address in use", map[string]string{
			"WEXIO_DATABASE_URL": "sqlite://" + filepath.Join(dir, "inuse", "wexio.db"), "WEXIO_ADDR": taken.Addr().String(),
		}, "WEXIO_ADDR"},
	}
	for _, tc := range cases {
		var out, errb bytes.Buffer
		code := run(context.Background(), nil, env(tc.env), &out, &errb)
		if code != 2 || !strings.HasPrefix(errb.String(), tc.want+": ") || strings.Count(errb.String(), "\n") != 1 {
			t.Errorf("%s: exit %d, stderr %q: want 2 and one line naming %s (no key printed)", tc.name, code, errb.String(), tc.want)
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

func TestBootstrapPrintsGeneratedKeyOnce(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e := env(map[string]string{"WEXIO_ADDR": freeAddr(t), "WEXIO_DATABASE_URL": "sqlite://" + filepath.Join(dir, "wexio.db")})
	for i, wantKey := range []bool{true, false} {
		ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
		var errb bytes.Buffer
		if code := run(ctx, nil, e, &bytes.Buffer{}, &errb); code != 0 {
			t.Fatalf("start %d: exit %d: %s", i, code, errb.String())
		}
		cancel()
		if got := strings.Contains(errb.String(), "bootstrap API key: wx_"); got != wantKey {
			t.Fatalf("start %d printed a key: %v, want %v (%s)", i, got, wantKey, errb.String())
		}
	}
	info, err := os.Stat(filepath.Join(dir, "secret.key"))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("secret.key: %v, mode %v", err, info.Mode())
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func waitReady(t *testing.T, url string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(url); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s never became ready", url)
}

func postQuery(t *testing.T, url, key, body string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(res.Body)
	return fmt.Sprintf("%d %s", res.StatusCode, b.String())
}

// TestStopCutsSlowRequestsAtTheBound: a client still sending its request
// when the grace period ends is cut off, and the stop is still the clean
// one the contract promises (serve returns nil: exit status 0).
func TestStopCutsSlowRequestsAtTheBound(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := config.Default()
	cfg.Addr = freeAddr(t)
	cfg.DatabaseURL = "sqlite://" + filepath.Join(dir, "wexio.db")
	cfg.SecretKey = make([]byte, 32)
	a, err := openApp(context.Background(), cfg, testLogger())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = a.close() }()
	a.shutdownGrace = 200 * time.Millisecond
	key, _, err := a.auth.Bootstrap(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.serve(ctx, io.Discard) }()
	waitReady(t, "http://"+cfg.Addr+"/readyz")
	conn, err := net.Dial("tcp", cfg.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// The body never comes whole: the request is in flight at the stop.
	fmt.Fprintf(conn, "POST /query HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"query\":", key)
	time.Sleep(100 * time.Millisecond) // let the server start reading it
	stop()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve after a bounded stop: %v, want nil (exit 0)", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop within 10 s with a 200 ms grace")
	}
}
