package config

import (
	"encoding/base64"
	"errors"
	"flag"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"
)

// env returns a lookupEnv over a fixed map, as Load receives os.LookupEnv.
func env(kv map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := kv[k]; return v, ok }
}

// key32 is a valid secret key: 32 bytes whose base64 differs between the
// standard and URL alphabets, so both spellings are exercised.
var key32 = []byte("\xfb\xff\xbf0123456789abcdef0123456789abc")

const validAPIKey = "wx_abcdefghijklmnopqrstuvwxyz012345-_"

func TestDefault(t *testing.T) {
	t.Parallel()
	want := Config{
		Addr:                  ":8080",
		MaxConnections:        10000,
		DatabaseURL:           "sqlite://data/wexio.db",
		PublicURL:             "http://localhost:8080",
		InboundMaxBytes:       102400,
		OutboundMaxRetries:    5,
		OutboundBackoffBase:   time.Minute,
		OutboundBackoffFactor: 5,
		OutboundBackoffMax:    24 * time.Hour,
		OutboundTimeout:       15 * time.Second,
		Retention:             720 * time.Hour,
		Metrics:               true,
		LogFormat:             "text",
		SQLiteSynchronous:     "full",
		RefusedLogRate:        10,
		OutboundDisableAfter:  120 * time.Hour,
		Timeouts: Timeouts{CacheTTL: 5 * time.Second, ShutdownGrace: 20 * time.Second, ReadHeader: 10 * time.Second,
			Read: time.Minute, Idle: time.Minute, WebSocketInit: 10 * time.Second, WebSocketKeepAlive: 10 * time.Second,
			Readiness: 2 * time.Second, DatabaseConnect: 30 * time.Second},
	}
	if got := Default(); !reflect.DeepEqual(got, want) {
		t.Fatalf("Default() = %+v, want %+v", got, want)
	}
	if err := Default().Validate(); err != nil {
		t.Fatalf("Default().Validate() = %v", err)
	}
	c, args, err := Load(nil, env(nil))
	if err != nil || !reflect.DeepEqual(c, want) || len(args) != 0 {
		t.Fatalf("Load(nil) = %+v, %q, %v; want defaults", c, args, err)
	}
	if c.SQLitePath() != "data/wexio.db" {
		t.Fatalf("SQLitePath() = %q", c.SQLitePath())
	}
}

func TestFieldTableComplete(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for i, f := range fields {
		if f.env == "" || f.flag == "" || f.help == "" || f.parse == nil || f.show == nil {
			t.Errorf("fields[%d] incomplete: %+v", i, f)
		}
		if seen[f.env] || seen[f.flag] {
			t.Errorf("fields[%d] duplicates a name", i)
		}
		seen[f.env], seen[f.flag] = true, true
		if want := "WEXIO_" + strings.ToUpper(strings.ReplaceAll(f.flag, "-", "_")); f.env != want {
			t.Errorf("fields[%d]: env %s does not match flag --%s", i, f.env, f.flag)
		}
	}
	// Every field but the fixed Timeouts is read from the environment.
	if n := reflect.TypeFor[Config]().NumField() - 1; n != int(numFields) {
		t.Errorf("Config has %d settable fields, table %d", n, numFields)
	}
	if _, ok := reflect.TypeFor[Config]().FieldByName("Timeouts"); !ok {
		t.Error("Config has no Timeouts")
	}
}

func TestLoadEachVariable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, value string
		want        func(*Config)
	}{
		// The public URL follows the address unless it is given.
		{"WEXIO_ADDR", "127.0.0.1:9090", func(c *Config) { c.Addr, c.PublicURL = "127.0.0.1:9090", "http://127.0.0.1:9090" }},
		{"WEXIO_ADDR", "[::1]:0", func(c *Config) { c.Addr, c.PublicURL = "[::1]:0", "http://[::1]:0" }},
		{"WEXIO_ADDR", ":8092", func(c *Config) { c.Addr, c.PublicURL = ":8092", "http://localhost:8092" }},
		{"WEXIO_ADDR", "0.0.0.0:8093", func(c *Config) { c.Addr, c.PublicURL = "0.0.0.0:8093", "http://localhost:8093" }},
		{"WEXIO_MAX_CONNECTIONS", "200", func(c *Config) { c.MaxConnections = 200 }},
		{"WEXIO_MAX_CONNECTIONS", "1", func(c *Config) { c.MaxConnections = 1 }},
		{"WEXIO_DATABASE_URL", "sqlite:///var/lib/wexio/wexio.db", func(c *Config) { c.DatabaseURL = "sqlite:///var/lib/wexio/wexio.db" }},
		{"WEXIO_PUBLIC_URL", "https://hooks.example.com/", func(c *Config) { c.PublicURL = "https://hooks.example.com" }},
		{"WEXIO_PUBLIC_URL", "https://example.com/wexio//", func(c *Config) { c.PublicURL = "https://example.com/wexio" }},
		{"WEXIO_API_KEY", validAPIKey, func(c *Config) { c.APIKey = validAPIKey }},
		{"WEXIO_SECRET_KEY", base64.StdEncoding.EncodeToString(key32), func(c *Config) { c.SecretKey = key32 }},
		{"WEXIO_SECRET_KEY", base64.RawStdEncoding.EncodeToString(key32), func(c *Config) { c.SecretKey = key32 }},
		{"WEXIO_SECRET_KEY", base64.URLEncoding.EncodeToString(key32), func(c *Config) { c.SecretKey = key32 }},
		{"WEXIO_SECRET_KEY", base64.RawURLEncoding.EncodeToString(key32) + "\n", func(c *Config) { c.SecretKey = key32 }},
		{"WEXIO_INBOUND_MAX_BYTES", "1048576", func(c *Config) { c.InboundMaxBytes = 1 << 20 }},
		{"WEXIO_OUTBOUND_MAX_RETRIES", "0", func(c *Config) { c.OutboundMaxRetries = 0 }},
		{"WEXIO_OUTBOUND_MAX_RETRIES", "100", func(c *Config) { c.OutboundMaxRetries = 100 }},
		{"WEXIO_OUTBOUND_BACKOFF_BASE", "30s", func(c *Config) { c.OutboundBackoffBase = 30 * time.Second }},
		{"WEXIO_OUTBOUND_BACKOFF_BASE", "24h", func(c *Config) { c.OutboundBackoffBase = 24 * time.Hour }},
		{"WEXIO_OUTBOUND_BACKOFF_FACTOR", "1", func(c *Config) { c.OutboundBackoffFactor = 1 }},
		{"WEXIO_OUTBOUND_BACKOFF_FACTOR", "2.5", func(c *Config) { c.OutboundBackoffFactor = 2.5 }},
		{"WEXIO_OUTBOUND_BACKOFF_MAX", "1h", func(c *Config) { c.OutboundBackoffMax = time.Hour }},
		{"WEXIO_OUTBOUND_TIMEOUT", "1m30s", func(c *Config) { c.OutboundTimeout = 90 * time.Second }},
		{"WEXIO_ALLOW_PRIVATE_NETWORKS", "true", func(c *Config) { c.AllowPrivateNetworks = true }},
		{"WEXIO_ALLOW_PRIVATE_NETWORKS", "1", func(c *Config) { c.AllowPrivateNetworks = true }},
		{"WEXIO_ALLOW_PRIVATE_NETWORKS", "false", func(*Config) {}},
		{"WEXIO_RETENTION", "168h", func(c *Config) { c.Retention = 168 * time.Hour }},
		{"WEXIO_METRICS", "false", func(c *Config) { c.Metrics = false }},
		{"WEXIO_LOG_FORMAT", "json", func(c *Config) { c.LogFormat = "json" }},
		{"WEXIO_REFUSED_LOG_RATE", "0", func(c *Config) { c.RefusedLogRate = 0 }},
		{"WEXIO_OUTBOUND_DISABLE_AFTER", "48h", func(c *Config) { c.OutboundDisableAfter = 48 * time.Hour }},
		{"WEXIO_SQLITE_SYNCHRONOUS", "NORMAL", func(c *Config) { c.SQLiteSynchronous = "normal" }},
		{"WEXIO_LOG_LEVEL", "debug", func(c *Config) { c.LogLevel = slog.LevelDebug }},
		{"WEXIO_LOG_LEVEL", "WARN", func(c *Config) { c.LogLevel = slog.LevelWarn }},
		// An empty variable is unset, as docker-compose's "NAME=" means.
		{"WEXIO_ADDR", "", func(*Config) {}},
		{"WEXIO_SECRET_KEY", "", func(*Config) {}},
	}
	for _, tt := range tests {
		t.Run(tt.name+"="+tt.value, func(t *testing.T) {
			t.Parallel()
			want := Default()
			tt.want(&want)
			got, _, err := Load(nil, env(map[string]string{tt.name: tt.value}))
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("Load = %+v\nwant   %+v", got, want)
			}
		})
	}
}

func TestFlagsOverrideEnv(t *testing.T) {
	t.Parallel()
	environ := env(map[string]string{
		"WEXIO_ADDR":                   ":1111",
		"WEXIO_INBOUND_MAX_BYTES":      "not a number", // a flag replaces it, so it is never judged
		"WEXIO_ALLOW_PRIVATE_NETWORKS": "true",
		"WEXIO_RETENTION":              "48h",
	})
	args := []string{
		"--addr", ":2222", "-inbound-max-bytes=10", "--allow-private-networks=false",
		"--database-url=sqlite:///tmp/x.db", "--public-url", "https://a.example/", "--api-key", validAPIKey,
		"--secret-key", base64.StdEncoding.EncodeToString(key32), "--outbound-max-retries=3",
		"--outbound-backoff-base=2s", "--outbound-backoff-factor=2", "--outbound-backoff-max=10s",
		"--outbound-timeout=5s", "--max-connections", "500",
	}
	got, pos, err := Load(args, environ)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	want := Config{
		Addr: ":2222", MaxConnections: 500, DatabaseURL: "sqlite:///tmp/x.db", PublicURL: "https://a.example", APIKey: validAPIKey,
		SecretKey: key32, InboundMaxBytes: 10, OutboundMaxRetries: 3, OutboundBackoffBase: 2 * time.Second,
		OutboundBackoffFactor: 2, OutboundBackoffMax: 10 * time.Second, OutboundTimeout: 5 * time.Second,
		AllowPrivateNetworks: false, Metrics: true, LogFormat: "text", SQLiteSynchronous: "full", RefusedLogRate: 10, OutboundDisableAfter: 120 * time.Hour, Retention: 48 * time.Hour, Timeouts: Default().Timeouts,
	}
	if !reflect.DeepEqual(got, want) || len(pos) != 0 {
		t.Fatalf("Load = %+v, %q\nwant   %+v", got, pos, want)
	}
	if got.SQLitePath() != "/tmp/x.db" {
		t.Fatalf("SQLitePath() = %q", got.SQLitePath())
	}
}

func TestBareBoolFlag(t *testing.T) {
	t.Parallel()
	c, pos, err := Load([]string{"--allow-private-networks", "serve"}, env(nil))
	if err != nil || !c.AllowPrivateNetworks || !reflect.DeepEqual(pos, []string{"serve"}) {
		t.Fatalf("Load = %v, %q, %v", c.AllowPrivateNetworks, pos, err)
	}
}

func TestPositionalArgs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		want []string
		addr string
	}{
		{[]string{"serve"}, []string{"serve"}, ":8080"},
		{[]string{"serve", "--addr", ":9"}, []string{"serve"}, ":9"},
		{[]string{"--addr=:9", "workspace", "create", "Acme"}, []string{"workspace", "create", "Acme"}, ":9"},
		{[]string{"workspace", "create", "--addr", ":9", "Acme Inc"}, []string{"workspace", "create", "Acme Inc"}, ":9"},
		{[]string{"apikey", "create", "--", "--addr", "-x"}, []string{"apikey", "create", "--addr", "-x"}, ":8080"},
		{[]string{"--", "serve"}, []string{"serve"}, ":8080"},
		{[]string{"-"}, []string{"-"}, ":8080"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Parallel()
			c, pos, err := Load(tt.args, nil)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if !reflect.DeepEqual(pos, tt.want) || c.Addr != tt.addr {
				t.Fatalf("Load = addr %q, args %q; want %q, %q", c.Addr, pos, tt.addr, tt.want)
			}
		})
	}
}

func TestHelpAndBadFlags(t *testing.T) {
	t.Parallel()
	for _, arg := range []string{"-h", "--help", "-help"} {
		if _, _, err := Load([]string{"serve", arg}, nil); !errors.Is(err, flag.ErrHelp) {
			t.Errorf("Load(%s) = %v, want flag.ErrHelp", arg, err)
		}
	}
	tests := []struct{ args []string }{
		{[]string{"--nope"}},
		{[]string{"serve", "--addr"}},
		{[]string{"---addr=:1"}},
	}
	for _, tt := range tests {
		_, _, err := Load(tt.args, nil)
		var ce *Error
		if !errors.As(err, &ce) || ce.Name != "command line" || strings.Contains(err.Error(), "\n") {
			t.Errorf("Load(%q) = %v, want a one-line *Error", tt.args, err)
		}
	}
}

func TestDecodeSecretKey(t *testing.T) {
	t.Parallel()
	key, err := DecodeSecretKey(" " + base64.StdEncoding.EncodeToString(key32) + "\n")
	if err != nil || string(key) != string(key32) {
		t.Fatalf("DecodeSecretKey = %x, %v", key, err)
	}
	short := base64.StdEncoding.EncodeToString(key32[:16])
	_, err = DecodeSecretKey(short)
	if !errors.Is(err, ErrSecretKey) || !strings.Contains(err.Error(), "got 16 bytes") || strings.Contains(err.Error(), short) {
		t.Fatalf("DecodeSecretKey(short) = %v", err)
	}
	if _, err := DecodeSecretKey("%%%"); !errors.Is(err, ErrSecretKey) {
		t.Fatalf("DecodeSecretKey(%%%%%%) = %v", err)
	}
}

func TestUsage(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	Usage(&b)
	out := b.String()
	for _, f := range fields {
		if !strings.Contains(out, "--"+f.flag+" ") || !strings.Contains(out, f.env) {
			t.Errorf("Usage lacks --%s / %s", f.flag, f.env)
		}
	}
	for _, want := range []string{":8080", "10000", "sqlite://data/wexio.db", "102400", "1m", "24h", "15s", "720h", "unset"} {
		if !strings.Contains(out, want) {
			t.Errorf("Usage lacks default %q:\n%s", want, out)
		}
	}
}
