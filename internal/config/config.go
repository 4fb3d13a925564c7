package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"
)

// ErrSecretKey is wrapped by DecodeSecretKey's errors.
var ErrSecretKey = errors.New("config: invalid secret key")

// Config is the whole process configuration. The field comments name the
// environment variable and flag that set each field.
type Config struct {
	Addr                  string        // WEXIO_ADDR, --addr
	MaxConnections        int           // WEXIO_MAX_CONNECTIONS, --max-connections: open at once
	DatabaseURL           string        // WEXIO_DATABASE_URL, --database-url
	PublicURL             string        // WEXIO_PUBLIC_URL, --public-url; no trailing slash
	APIKey                string        // WEXIO_API_KEY, --api-key; "" when unset
	SecretKey             []byte        // WEXIO_SECRET_KEY, --secret-key; nil when unset
	InboundMaxBytes       int64         // WEXIO_INBOUND_MAX_BYTES, --inbound-max-bytes
	OutboundMaxRetries    int           // WEXIO_OUTBOUND_MAX_RETRIES, --outbound-max-retries
	OutboundBackoffBase   time.Duration // WEXIO_OUTBOUND_BACKOFF_BASE, --outbound-backoff-base
	OutboundBackoffFactor float64       // WEXIO_OUTBOUND_BACKOFF_FACTOR, --outbound-backoff-factor
	OutboundBackoffMax    time.Duration // WEXIO_OUTBOUND_BACKOFF_MAX, --outbound-backoff-max
	OutboundTimeout       time.Duration // WEXIO_OUTBOUND_TIMEOUT, --outbound-timeout
	OutboundDisableAfter  time.Duration // WEXIO_OUTBOUND_DISABLE_AFTER: FAILING this long disables
	AllowPrivateNetworks  bool          // WEXIO_ALLOW_PRIVATE_NETWORKS, --allow-private-networks
	Metrics               bool          // WEXIO_METRICS, --metrics: GET /metrics
	LogFormat             string        // WEXIO_LOG_FORMAT, --log-format: text or json
	LogLevel              slog.Level    // WEXIO_LOG_LEVEL, --log-level
	APIRate               float64       // WEXIO_API_RATE, --api-rate: per key and server; 0: none
	SQLiteSynchronous     string        // WEXIO_SQLITE_SYNCHRONOUS: full or normal
	RefusedLogRate        float64       // WEXIO_REFUSED_LOG_RATE: refusals stored per second and webhook; 0: all
	Retention             time.Duration // WEXIO_RETENTION, --retention

	// Timeouts are fixed, not read from the environment: written here so
	// that each is said once, with why it is what it is.
	Timeouts Timeouts
}

// Timeouts are the server's fixed durations.
type Timeouts struct {
	// CacheTTL bounds how stale a cached webhook or subscription list may
	// be against writers in other processes (a CLI beside the server);
	// within the process every change invalidates at once.
	CacheTTL time.Duration
	// ShutdownGrace bounds how long in-flight requests may take to finish
	// on SIGTERM; deliveries in flight get their own 10 s at the same
	// time, so a stop takes 20 s at most, within the 30 s orchestrators
	// usually give before a kill.
	ShutdownGrace time.Duration
	// ReadHeader and Read bound a client sending its request (slow-loris);
	// Read covers a 100 KB body on a slow mobile link.
	ReadHeader, Read time.Duration
	// Idle closes keep-alive connections nobody uses. 60 s, as the
	// contract says: long enough for a sender's next webhook to reuse the
	// connection, short enough that idle sockets do not pile up toward
	// MaxConnections (at the cap the longest idle go first anyway).
	Idle time.Duration
	// WebSocketInit closes a socket that never sends connection_init;
	// WebSocketKeepAlive pings live-tail clients through proxies that cut
	// quiet connections.
	WebSocketInit, WebSocketKeepAlive time.Duration
	// Readiness bounds /readyz's database query: a probe that hangs is
	// worse than one that says no.
	Readiness time.Duration
	// DatabaseConnect bounds the wait for a PostgreSQL database at start:
	// long enough for one started beside the server (compose), short
	// enough that a wrong host is reported rather than waited on.
	DatabaseConnect time.Duration
}

// Default returns the configuration used when nothing is set. It is the one
// place defaults are written; Usage shows them from here.
func Default() Config {
	return Config{
		Addr:                  ":8080",
		MaxConnections:        10000,
		DatabaseURL:           "sqlite://data/wexio.db",
		PublicURL:             "http://localhost:8080",
		InboundMaxBytes:       100 << 10,
		OutboundMaxRetries:    5,
		OutboundBackoffBase:   time.Minute,
		OutboundBackoffFactor: 5,
		OutboundBackoffMax:    24 * time.Hour,
		OutboundTimeout:       15 * time.Second,
		OutboundDisableAfter:  120 * time.Hour,
		AllowPrivateNetworks:  false,
		Metrics:               true,
		LogFormat:             "text",
		LogLevel:              slog.LevelInfo,
		SQLiteSynchronous:     "full",
		RefusedLogRate:        10,
		Retention:             30 * 24 * time.Hour,
		Timeouts: Timeouts{
			CacheTTL:           5 * time.Second,
			ShutdownGrace:      20 * time.Second,
			ReadHeader:         10 * time.Second,
			Read:               60 * time.Second,
			Idle:               60 * time.Second,
			WebSocketInit:      10 * time.Second,
			WebSocketKeepAlive: 10 * time.Second,
			Readiness:          2 * time.Second,
			DatabaseConnect:    30 * time.Second,
		},
	}
}

// Error is a configuration problem. Name is the environment variable, or the
// flag (with its leading "--") when the value came from a flag.
type Error struct {
	Name    string
	Problem string
}

func (e *Error) Error() string { return e.Name + ": " + e.Problem }

// Validate checks a Config built in code the way Load checks one it read,
// naming fields by their environment variables.
func (c Config) Validate() error {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.env
	}
	return c.validate(names, make([]bool, len(fields)))
}

// validate checks every field, then the rules that tie fields together.
// names[i] is what the user called fields[i] (variable or flag) and given[i]
// says whether the user set it, so that a conflict is blamed on a value the
// user wrote rather than on a default.
func (c Config) validate(names []string, given []bool) error {
	for i, f := range fields {
		if f.check == nil {
			continue
		}
		if p := f.check(c); p != "" {
			return &Error{Name: names[i], Problem: p}
		}
	}
	base, limit := formatDuration(c.OutboundBackoffBase), formatDuration(c.OutboundBackoffMax)
	if c.OutboundBackoffMax >= c.OutboundBackoffBase {
		return nil
	}
	if given[idxBackoffBase] && !given[idxBackoffMax] {
		return &Error{
			Name:    names[idxBackoffBase],
			Problem: "must be at most " + names[idxBackoffMax] + " (" + limit + "), got " + base,
		}
	}
	return &Error{
		Name:    names[idxBackoffMax],
		Problem: "must be at least " + names[idxBackoffBase] + " (" + base + "), got " + limit,
	}
}

// SQLitePath returns the file path of a sqlite:// DatabaseURL, relative to
// the working directory unless it starts with "/". It returns "" when the
// URL is not a valid sqlite:// URL (Load never lets such a Config through).
func (c Config) SQLitePath() string {
	path, problem := sqlitePath(c.DatabaseURL)
	if problem != "" {
		return ""
	}
	return path
}

// Postgres reports whether DatabaseURL names a PostgreSQL database.
func (c Config) Postgres() bool {
	scheme, _, _ := strings.Cut(c.DatabaseURL, "://")
	scheme = strings.ToLower(scheme)
	return scheme == "postgres" || scheme == "postgresql"
}

// checkDatabaseURL vets a sqlite:// or postgres:// URL without echoing
// anything after the scheme: it may hold a password.
func checkDatabaseURL(raw string) string {
	scheme, _, _ := strings.Cut(raw, "://")
	switch strings.ToLower(scheme) {
	case "postgres", "postgresql":
		u, err := url.Parse(raw)
		switch {
		case err != nil:
			return "is not a valid " + strings.ToLower(scheme) + ":// URL"
		case u.Host == "" && u.Query().Get("host") == "":
			return "must name the database's host: postgres://user:pass@host:5432/db"
		}
		return ""
	}
	_, p := sqlitePath(raw)
	return p
}

// sqlitePath splits "sqlite://PATH". The URL is not parsed with net/url
// because "sqlite://data/x.db" would make "data" a host.
func sqlitePath(raw string) (path, problem string) {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return "", "must be sqlite://PATH"
	}
	switch strings.ToLower(scheme) {
	case "sqlite":
	case "postgres", "postgresql":
		return "", "is a PostgreSQL URL, not sqlite://PATH"
	default:
		// Only the scheme is echoed: the rest may hold credentials.
		return "", "unsupported scheme " + quote(scheme) + "; use sqlite://PATH or postgres://"
	}
	switch {
	case rest == "":
		return "", "must be sqlite://PATH, got an empty path"
	case strings.ContainsAny(rest, "?#"):
		// The server sets its own SQLite options; a query here would be
		// read as part of the file name by some drivers and not others.
		// Not echoed: options such as _auth_pass hold credentials.
		return "", "must be sqlite://PATH without ? or #; the server sets its own SQLite options"
	case strings.HasSuffix(rest, "/"):
		return "", "must name a file, got the directory " + quote(rest)
	}
	return rest, ""
}

// DecodeSecretKey decodes a secret key written the way WEXIO_SECRET_KEY is
// (base64 of 32 bytes, any alphabet, padded or not, surrounding space
// ignored), for the server to read back a key file it generated. Errors wrap
// ErrSecretKey and never contain the key.
func DecodeSecretKey(s string) ([]byte, error) {
	key, problem := decodeSecretKey(s)
	if problem != "" {
		return nil, fmt.Errorf("%w: %s", ErrSecretKey, problem)
	}
	return key, nil
}
