package app

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wexio/webhooks/internal/config"
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
		{"malformed postgres url", nil, map[string]string{"WEXIO_DATABASE_URL": "postgres://u:hunter2@db:port/x",
			"WEXIO_SECRET_KEY": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="}, "WEXIO_DATABASE_URL"},
		{"postgres without a key", nil, map[string]string{"WEXIO_DATABASE_URL": "postgres://u:hunter2@db/x"}, "WEXIO_SECRET_KEY"},
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
			if strings.Contains(errb.String(), "hunter2") {
				t.Fatalf("stderr %q shows the database password", errb.String())
			}
		})
	}
}

// TestUnreachableDatabaseIsBadConfiguration: a PostgreSQL server that does
// not answer within the connect bound stops the start as bad
// configuration (exit 2) naming WEXIO_DATABASE_URL, never its password.
func TestUnreachableDatabaseIsBadConfiguration(t *testing.T) {
	t.Parallel()
	cfg := config.Default()
	cfg.DatabaseURL = "postgres://wexio:hunter2@" + freeAddr(t) + "/wexio?sslmode=disable" // nobody listens
	cfg.SecretKey = make([]byte, 32)
	cfg.Timeouts.DatabaseConnect = 500 * time.Millisecond
	_, err := openApp(context.Background(), cfg, testLogger())
	var ce *config.Error
	if !errors.As(err, &ce) || ce.Name != "WEXIO_DATABASE_URL" || exitStatus(err) != 2 {
		t.Fatalf("openApp = %v, want bad configuration naming WEXIO_DATABASE_URL", err)
	}
	if strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("the error %q shows the password or is not one line", err)
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
