package app

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

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
