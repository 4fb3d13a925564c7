package config

import (
	"log/slog"
	"math"
	"strconv"
	"strings"
	"time"
)

// field describes one setting: how it is named, parsed, checked and shown.
// parse only reads the text into c; check judges the value, so Validate can
// judge a Config built in code the same way. Both return a problem in words,
// or "".
type field struct {
	env, flag string
	help      string
	boolean   bool // a flag that may be given without a value
	parse     func(c *Config, raw string) (problem string)
	check     func(c Config) (problem string)
	show      func(c Config) string // the value as a user would write it; "" for unset
}

// Indexes into fields, for the rules that tie fields together.
const (
	idxAddr = iota
	idxMaxConnections
	idxDatabaseURL
	idxPublicURL
	idxAPIKey
	idxSecretKey
	idxInboundMaxBytes
	idxMaxRetries
	idxBackoffBase
	idxBackoffFactor
	idxBackoffMax
	idxTimeout
	idxDisableAfter
	idxAllowPrivate
	idxRetention
	idxMetrics
	idxLogFormat
	idxLogLevel
	idxAPIRate
	idxSQLiteSync
	idxRefusedLogRate
	numFields
)

// fields is the table of every setting, in the order Usage lists them.
var fields = [numFields]field{
	idxAddr: {
		env: "WEXIO_ADDR", flag: "addr", help: "listen address",
		parse: func(c *Config, raw string) string { c.Addr = raw; return "" },
		check: func(c Config) string { return checkAddr(c.Addr) },
		show:  func(c Config) string { return c.Addr },
	},
	idxMaxConnections: {
		env: "WEXIO_MAX_CONNECTIONS", flag: "max-connections",
		help:  "open connections at once; idle keep-alive connections close after 60 s",
		parse: parseMaxConnections,
		check: func(c Config) string { return checkMaxConnections(c.MaxConnections) },
		show:  func(c Config) string { return strconv.Itoa(c.MaxConnections) },
	},
	idxDatabaseURL: {
		env: "WEXIO_DATABASE_URL", flag: "database-url",
		help:  "database: sqlite://PATH (relative to the working directory, or sqlite:///ABSOLUTE/PATH), or postgres://user:pass@host:5432/db?sslmode=...",
		parse: func(c *Config, raw string) string { c.DatabaseURL = raw; return "" },
		check: func(c Config) string { return checkDatabaseURL(c.DatabaseURL) },
		show:  func(c Config) string { return c.DatabaseURL },
	},
	idxPublicURL: {
		env: "WEXIO_PUBLIC_URL", flag: "public-url", help: "base of the inbound URLs that the API hands out, as callers reach the server (default: http://localhost and the port of the address)",
		parse: func(c *Config, raw string) string { c.PublicURL = trimSlashes(raw); return "" },
		check: func(c Config) string { return checkPublicURL(c.PublicURL) },
		show:  func(c Config) string { return c.PublicURL },
	},
	idxAPIKey: {
		env: "WEXIO_API_KEY", flag: "api-key",
		help:  "bootstrap API key for workspace Default, used on first start only (wx_ and 32 or more of A-Z a-z 0-9 _ -)",
		parse: func(c *Config, raw string) string { c.APIKey = raw; return "" },
		check: func(c Config) string { return checkAPIKey(c.APIKey) },
		show:  func(Config) string { return "" },
	},
	idxSecretKey: {
		env: "WEXIO_SECRET_KEY", flag: "secret-key",
		help:  "base64 of a 32-byte key that encrypts stored secrets (unset with SQLite: generated into data/secret.key; required with PostgreSQL)",
		parse: parseSecretKey,
		check: func(c Config) string { return checkSecretKey(c.SecretKey, c.Postgres()) },
		show:  func(Config) string { return "" },
	},
	idxInboundMaxBytes: {
		env: "WEXIO_INBOUND_MAX_BYTES", flag: "inbound-max-bytes", help: "inbound payload limit in bytes",
		parse: parseInboundMaxBytes,
		check: func(c Config) string { return checkInboundMaxBytes(c.InboundMaxBytes) },
		show:  func(c Config) string { return strconv.FormatInt(c.InboundMaxBytes, 10) },
	},
	idxMaxRetries: {
		env: "WEXIO_OUTBOUND_MAX_RETRIES", flag: "outbound-max-retries",
		help:  "retries after the first delivery attempt",
		parse: parseMaxRetries,
		check: func(c Config) string { return checkMaxRetries(c.OutboundMaxRetries) },
		show:  func(c Config) string { return strconv.Itoa(c.OutboundMaxRetries) },
	},
	idxBackoffBase: durationField("WEXIO_OUTBOUND_BACKOFF_BASE", "outbound-backoff-base",
		"delay before the first retry; retry n waits base*factor^(n-1), ±20% jitter",
		func(c *Config) *time.Duration { return &c.OutboundBackoffBase }),
	idxBackoffFactor: {
		env: "WEXIO_OUTBOUND_BACKOFF_FACTOR", flag: "outbound-backoff-factor",
		help:  "growth of the delay from one retry to the next",
		parse: parseBackoffFactor,
		check: func(c Config) string { return checkBackoffFactor(c.OutboundBackoffFactor) },
		show:  func(c Config) string { return strconv.FormatFloat(c.OutboundBackoffFactor, 'g', -1, 64) },
	},
	idxBackoffMax: durationField("WEXIO_OUTBOUND_BACKOFF_MAX", "outbound-backoff-max",
		"cap on one retry delay", func(c *Config) *time.Duration { return &c.OutboundBackoffMax }),
	idxTimeout: withCheck(durationField("WEXIO_OUTBOUND_TIMEOUT", "outbound-timeout",
		"one delivery attempt, connect to last byte", func(c *Config) *time.Duration { return &c.OutboundTimeout }),
		func(c Config) string { return checkTimeout(c.OutboundTimeout) }),
	idxDisableAfter: durationField("WEXIO_OUTBOUND_DISABLE_AFTER", "outbound-disable-after",
		"an outbound webhook FAILING this long (20 consecutive failed attempts, then every probe failed) becomes DISABLED",
		func(c *Config) *time.Duration { return &c.OutboundDisableAfter }),
	idxAllowPrivate: {
		env: "WEXIO_ALLOW_PRIVATE_NETWORKS", flag: "allow-private-networks", boolean: true,
		help:  "allow outbound targets on loopback and private ranges (development, tests)",
		parse: parseAllowPrivate,
		show:  func(c Config) string { return strconv.FormatBool(c.AllowPrivateNetworks) },
	},
	idxRetention: durationField("WEXIO_RETENTION", "retention",
		"how long history rows are kept", func(c *Config) *time.Duration { return &c.Retention }),
	idxMetrics: {
		env: "WEXIO_METRICS", flag: "metrics", boolean: true,
		help: "serve Prometheus metrics on GET /metrics",
		parse: func(c *Config, raw string) string {
			b, err := strconv.ParseBool(raw)
			if err != nil {
				return mustBe("true or false", raw)
			}
			c.Metrics = b
			return ""
		},
		show: func(c Config) string { return strconv.FormatBool(c.Metrics) },
	},
	idxLogFormat: {
		env: "WEXIO_LOG_FORMAT", flag: "log-format",
		help: "log lines on stderr as text (key=value) or json",
		parse: func(c *Config, raw string) string {
			if raw != "text" && raw != "json" {
				return mustBe("text or json", raw)
			}
			c.LogFormat = raw
			return ""
		},
		show: func(c Config) string { return c.LogFormat },
	},
	idxLogLevel: {
		env: "WEXIO_LOG_LEVEL", flag: "log-level",
		help: "least level logged: debug (a line per inbound request and GraphQL operation), info, warn or error",
		parse: func(c *Config, raw string) string {
			var l slog.Level
			if err := l.UnmarshalText([]byte(raw)); err != nil {
				return mustBe("debug, info, warn or error", raw)
			}
			c.LogLevel = l
			return ""
		},
		show: func(c Config) string { return strings.ToLower(c.LogLevel.String()) },
	},
	idxAPIRate: {
		env: "WEXIO_API_RATE", flag: "api-rate",
		help: "GraphQL requests per second each API key may make on each server, bursts of twice that (unset: no limit)",
		parse: func(c *Config, raw string) string {
			f, err := strconv.ParseFloat(raw, 64)
			if err != nil || f <= 0 || math.IsInf(f, 0) || math.IsNaN(f) {
				return mustBe("a positive number of requests per second", raw)
			}
			c.APIRate = f
			return ""
		},
		show: func(c Config) string {
			if c.APIRate == 0 {
				return ""
			}
			return strconv.FormatFloat(c.APIRate, 'g', -1, 64)
		},
	},
	idxSQLiteSync: {
		env: "WEXIO_SQLITE_SYNCHRONOUS", flag: "sqlite-synchronous",
		help: "SQLite: full (every commit survives power loss) or normal (faster; a power loss may undo requests already answered 202)",
		parse: func(c *Config, raw string) string {
			switch strings.ToLower(raw) {
			case "full", "normal":
				c.SQLiteSynchronous = strings.ToLower(raw)
				return ""
			}
			return mustBe("full or normal", raw)
		},
		show: func(c Config) string { return c.SQLiteSynchronous },
	},
	idxRefusedLogRate: {
		env: "WEXIO_REFUSED_LOG_RATE", flag: "refused-log-rate",
		help: "refused inbound requests (401, 413, 415, 431, ...) stored a second per webhook; past it they are answered as usual and counted, not stored; 0: store every one",
		parse: func(c *Config, raw string) string {
			f, err := strconv.ParseFloat(raw, 64)
			if err != nil || f < 0 || math.IsInf(f, 0) || math.IsNaN(f) {
				return mustBe("a number of rows per second, 0 for no limit", raw)
			}
			c.RefusedLogRate = f
			return ""
		},
		show: func(c Config) string { return strconv.FormatFloat(c.RefusedLogRate, 'g', -1, 64) },
	},
}

// durationField builds the field of a positive duration.
func durationField(env, flag, help string, at func(*Config) *time.Duration) field {
	return field{
		env: env, flag: flag, help: help,
		parse: func(c *Config, raw string) string { return parseDuration(at(c), raw) },
		check: func(c Config) string { return checkDuration(*at(&c)) },
		show:  func(c Config) string { return formatDuration(*at(&c)) },
	}
}

// withCheck adds a check to f's own.
func withCheck(f field, check func(Config) string) field {
	own := f.check
	f.check = func(c Config) string {
		if p := own(c); p != "" {
			return p
		}
		return check(c)
	}
	return f
}

// maxOutboundTimeout is outbound.MaxAttemptTimeout, which config cannot
// import: a webhook's timeoutSeconds is whole seconds up to 300.
const maxOutboundTimeout = 5 * time.Minute

// checkTimeout holds the default attempt timeout to what a webhook's
// timeoutSeconds can say, whole seconds up to 5m: 1500ms became 1 s, and 1h
// silently 5m.
func checkTimeout(d time.Duration) string {
	if d%time.Second != 0 || d > maxOutboundTimeout {
		return "must be whole seconds up to 5m, got " + formatDuration(d)
	}
	return ""
}
