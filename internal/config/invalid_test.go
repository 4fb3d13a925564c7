package config

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestInvalidValues(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, value, problem string
	}{
		{"WEXIO_ADDR", "8080", `must be HOST:PORT or :PORT, got "8080"`},
		{"WEXIO_ADDR", ":http", `must be HOST:PORT or :PORT with a port from 0 to 65535, got ":http"`},
		{"WEXIO_ADDR", ":65536", `with a port from 0 to 65535`},
		{"WEXIO_MAX_CONNECTIONS", "0", `must be a positive integer, got "0"`},
		{"WEXIO_MAX_CONNECTIONS", "-5", `must be a positive integer, got "-5"`},
		{"WEXIO_MAX_CONNECTIONS", "10k", `must be a positive integer, got "10k"`},
		{"WEXIO_MAX_CONNECTIONS", "1.5", `must be a positive integer, got "1.5"`},
		{"WEXIO_DATABASE_URL", "postgres://u:hunter2@db:port/wexio", `is not a valid postgres:// URL`},
		{"WEXIO_DATABASE_URL", "postgresql://u:hunter2@/wexio", `must name the database's host`},
		{"WEXIO_DATABASE_URL", "mysql://u:hunter2@db/wexio", `unsupported scheme "mysql"; use sqlite://PATH or postgres://`},
		{"WEXIO_DATABASE_URL", "data/wexio.db", `must be sqlite://PATH`},
		{"WEXIO_DATABASE_URL", "sqlite://", `must be sqlite://PATH, got an empty path`},
		{"WEXIO_DATABASE_URL", "sqlite://data/", `must name a file`},
		{"WEXIO_DATABASE_URL", "sqlite://data/x.db?_auth_pass=hunter2", `without ? or #`},
		{"WEXIO_PUBLIC_URL", "localhost:8080", `must be an absolute http or https URL, got "localhost:8080"`},
		{"WEXIO_PUBLIC_URL", "ftp://example.com", `must be an absolute http or https URL`},
		{"WEXIO_PUBLIC_URL", "https://", `must be an absolute http or https URL`},
		{"WEXIO_PUBLIC_URL", "/in", `must be an absolute http or https URL`},
		{"WEXIO_PUBLIC_URL", "https://example.com/?a=b", `without query or fragment`},
		{"WEXIO_PUBLIC_URL", "https://example.com#x", `without query or fragment`},
		{"WEXIO_PUBLIC_URL", "https://bob:hunter2@example.com", `without user info, got "https://bob:xxxxx@example.com"`},
		{"WEXIO_API_KEY", "wx_short", `must be wx_ followed by at least 32 characters of A-Z a-z 0-9 _ -`},
		{"WEXIO_API_KEY", "sk_abcdefghijklmnopqrstuvwxyz0123456789", `must be wx_ followed`},
		{"WEXIO_API_KEY", "wx_abcdefghijklmnopqrstuvwxyz01234567+/", `must be wx_ followed`},
		{"WEXIO_SECRET_KEY", base64.StdEncoding.EncodeToString(make([]byte, 16)), `must be base64 of exactly 32 bytes, got 16 bytes`},
		{"WEXIO_SECRET_KEY", base64.StdEncoding.EncodeToString(make([]byte, 33)), `must be base64 of exactly 32 bytes, got 33 bytes`},
		{"WEXIO_SECRET_KEY", "not base64 at all!", `must be base64 of exactly 32 bytes, got text that is not base64`},
		{"WEXIO_INBOUND_MAX_BYTES", "abc", `must be a positive integer, got "abc"`},
		{"WEXIO_INBOUND_MAX_BYTES", "0", `must be a positive integer, got "0"`},
		{"WEXIO_INBOUND_MAX_BYTES", "-1", `must be a positive integer, got "-1"`},
		{"WEXIO_INBOUND_MAX_BYTES", "100KB", `must be a positive integer, got "100KB"`},
		{"WEXIO_INBOUND_MAX_BYTES", "2147483648", `must be a positive integer up to 1073741824 (1 GiB), got "2147483648"`},
		{"WEXIO_OUTBOUND_MAX_RETRIES", "five", `must be an integer from 0 to 100, got "five"`},
		{"WEXIO_OUTBOUND_MAX_RETRIES", "-1", `must be an integer from 0 to 100, got "-1"`},
		{"WEXIO_OUTBOUND_MAX_RETRIES", "101", `must be an integer from 0 to 100, got "101"`},
		{"WEXIO_OUTBOUND_BACKOFF_BASE", "60", `must be a positive duration such as 90s, 15m or 24h, got "60"`},
		{"WEXIO_OUTBOUND_BACKOFF_BASE", "0s", `must be a positive duration such as 90s, 15m or 24h, got "0s"`},
		{"WEXIO_OUTBOUND_BACKOFF_BASE", "48h", `must be at most WEXIO_OUTBOUND_BACKOFF_MAX (24h), got 48h`},
		{"WEXIO_OUTBOUND_BACKOFF_FACTOR", "x", `must be a number of at least 1, got "x"`},
		{"WEXIO_OUTBOUND_BACKOFF_FACTOR", "0.5", `must be a number of at least 1, got "0.5"`},
		{"WEXIO_OUTBOUND_BACKOFF_FACTOR", "NaN", `must be a number of at least 1, got "NaN"`},
		{"WEXIO_OUTBOUND_BACKOFF_FACTOR", "+Inf", `must be a number of at least 1, got "+Inf"`},
		{"WEXIO_OUTBOUND_BACKOFF_MAX", "-1h", `must be a positive duration such as 90s, 15m or 24h, got "-1h"`},
		{"WEXIO_OUTBOUND_BACKOFF_MAX", "30s", `must be at least WEXIO_OUTBOUND_BACKOFF_BASE (1m), got 30s`},
		{"WEXIO_OUTBOUND_TIMEOUT", "15", `must be a positive duration such as 90s, 15m or 24h, got "15"`},
		{"WEXIO_OUTBOUND_TIMEOUT", "0", `must be a positive duration such as 90s, 15m or 24h, got "0s"`},
		{"WEXIO_ALLOW_PRIVATE_NETWORKS", "yes", `must be true or false, got "yes"`},
		{"WEXIO_RETENTION", "30d", `must be a positive duration such as 90s, 15m or 24h, got "30d"`},
		{"WEXIO_RETENTION", "-720h", `must be a positive duration such as 90s, 15m or 24h, got "-720h"`},
	}
	for _, tt := range tests {
		flagName := "--" + strings.ReplaceAll(strings.ToLower(strings.TrimPrefix(tt.name, "WEXIO_")), "_", "-")
		t.Run(tt.name+"="+tt.value, func(t *testing.T) {
			t.Parallel()
			_, _, err := Load(nil, env(map[string]string{tt.name: tt.value}))
			assertError(t, err, tt.name, tt.problem, tt.value)
			_, _, err = Load([]string{flagName + "=" + tt.value}, nil)
			assertError(t, err, flagName, tt.problem, tt.value)
		})
	}
}

// assertError checks a Load error names name, says problem, is one line,
// and, for credentials, does not echo the value.
func assertError(t *testing.T, err error, name, problem, value string) {
	t.Helper()
	var ce *Error
	if !errors.As(err, &ce) {
		t.Fatalf("Load = %v, want *Error", err)
	}
	if ce.Name != name || !strings.Contains(ce.Problem, problem) {
		t.Fatalf("Load = %q, want %s: ...%s...", err, name, problem)
	}
	if err.Error() != name+": "+ce.Problem || strings.Contains(err.Error(), "\n") {
		t.Fatalf("Error() = %q, want one line %q", err, name+": "+ce.Problem)
	}
	if strings.Contains(name, "KEY") || strings.Contains(name, "-key") || strings.Contains(value, "hunter2") {
		if strings.Contains(err.Error(), value) || strings.Contains(err.Error(), "hunter2") {
			t.Fatalf("Error() = %q leaks the secret", err)
		}
	}
}

func TestCrossFieldBlame(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"both set, max blamed", nil,
			map[string]string{"WEXIO_OUTBOUND_BACKOFF_BASE": "2h", "WEXIO_OUTBOUND_BACKOFF_MAX": "1h"},
			"WEXIO_OUTBOUND_BACKOFF_MAX: must be at least WEXIO_OUTBOUND_BACKOFF_BASE (2h), got 1h"},
		{"flag names used", []string{"--outbound-backoff-max=1h"},
			map[string]string{"WEXIO_OUTBOUND_BACKOFF_BASE": "2h"},
			"--outbound-backoff-max: must be at least WEXIO_OUTBOUND_BACKOFF_BASE (2h), got 1h"},
		{"only base set", []string{"--outbound-backoff-base=25h"}, nil,
			"--outbound-backoff-base: must be at most WEXIO_OUTBOUND_BACKOFF_MAX (24h), got 25h"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, _, err := Load(tt.args, env(tt.env))
			if err == nil || err.Error() != tt.want {
				t.Fatalf("Load = %v, want %s", err, tt.want)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		modify func(*Config)
		want   string
	}{
		{"trailing slash", func(c *Config) { c.PublicURL = "http://x/" }, "WEXIO_PUBLIC_URL"},
		{"no connections", func(c *Config) { c.MaxConnections = 0 }, "WEXIO_MAX_CONNECTIONS"},
		{"short key", func(c *Config) { c.SecretKey = []byte("k") }, "WEXIO_SECRET_KEY"},
		{"zero timeout", func(c *Config) { c.OutboundTimeout = 0 }, "WEXIO_OUTBOUND_TIMEOUT"},
		{"fractional timeout", func(c *Config) { c.OutboundTimeout = 1500 * time.Millisecond }, "WEXIO_OUTBOUND_TIMEOUT"},
		{"timeout over 5m", func(c *Config) { c.OutboundTimeout = time.Hour }, "WEXIO_OUTBOUND_TIMEOUT"},
		{"max below base", func(c *Config) { c.OutboundBackoffMax = time.Second }, "WEXIO_OUTBOUND_BACKOFF_MAX"},
		{"postgres without a key", func(c *Config) { c.DatabaseURL = "postgres://x/y" }, "WEXIO_SECRET_KEY"},
		{"postgres without a host", func(c *Config) { c.DatabaseURL = "postgres:///y"; c.SecretKey = make([]byte, 32) }, "WEXIO_DATABASE_URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := Default()
			tt.modify(&c)
			var ce *Error
			if err := c.Validate(); !errors.As(err, &ce) || ce.Name != tt.want {
				t.Fatalf("Validate = %v, want an *Error for %s", err, tt.want)
			}
		})
	}
}

// A PostgreSQL URL with a key is good configuration, whatever the rest of
// its form: a socket directory in the query stands for the host.
func TestPostgresURLs(t *testing.T) {
	t.Parallel()
	for _, u := range []string{
		"postgres://wexio:hunter2@db.internal:5432/wexio?sslmode=require",
		"postgresql://db/wexio",
		"postgres:///wexio?host=/run/postgresql",
	} {
		c := Default()
		c.DatabaseURL, c.SecretKey = u, make([]byte, 32)
		if err := c.Validate(); err != nil || !c.Postgres() {
			t.Errorf("%s: Validate = %v, Postgres = %v", u, err, c.Postgres())
		}
	}
}

func TestSQLitePath(t *testing.T) {
	t.Parallel()
	tests := []struct{ url, want string }{
		{"sqlite://data/wexio.db", "data/wexio.db"},
		{"sqlite:///var/lib/wexio/wexio.db", "/var/lib/wexio/wexio.db"},
		{"SQLite://wexio.db", "wexio.db"},
		{"sqlite://./a b/c.db", "./a b/c.db"},
		{"postgres://db/x", ""},
		{"sqlite://", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := (Config{DatabaseURL: tt.url}).SQLitePath(); got != tt.want {
			t.Errorf("SQLitePath(%q) = %q, want %q", tt.url, got, tt.want)
		}
	}
}
