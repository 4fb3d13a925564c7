package config

import (
	"encoding/base64"
	"math"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

const (
	secretKeyLen    = 32
	apiKeyPrefix    = "wx_"
	apiKeyMinRandom = 32
	maxInboundBytes = 1 << 30 // a body is held in memory whole; beyond this is a typo
	maxRetriesLimit = 100     // beyond this the schedule outlives any retention
)

func quote(s string) string { return strconv.Quote(s) }

// mustBe words the usual problem; got is quoted because it may be empty.
func mustBe(want, got string) string { return "must be " + want + ", got " + quote(got) }

func checkAddr(addr string) string {
	const want = "HOST:PORT or :PORT"
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return mustBe(want, addr)
	}
	if n, err := strconv.ParseUint(port, 10, 16); err != nil || n > math.MaxUint16 {
		return mustBe(want+" with a port from 0 to 65535", addr)
	}
	return ""
}

func trimSlashes(raw string) string { return strings.TrimRight(raw, "/") }

func checkPublicURL(raw string) string {
	const want = "an absolute http or https URL"
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Opaque != "" {
		return mustBe(want, raw)
	}
	switch {
	case u.User != nil:
		return mustBe(want+" without user info", u.Redacted())
	case u.RawQuery != "" || u.ForceQuery || strings.Contains(raw, "#"):
		return mustBe(want+" without query or fragment", raw)
	case strings.HasSuffix(raw, "/"):
		return mustBe(want+" without a trailing slash", raw)
	}
	return ""
}

// checkAPIKey never echoes the key: it is a credential.
func checkAPIKey(key string) string {
	if key == "" {
		return ""
	}
	const problem = "must be wx_ followed by at least 32 characters of A-Z a-z 0-9 _ -"
	rest, ok := strings.CutPrefix(key, apiKeyPrefix)
	if !ok || len(rest) < apiKeyMinRandom {
		return problem
	}
	for i := range len(rest) {
		if !urlSafe(rest[i]) {
			return problem
		}
	}
	return ""
}

func urlSafe(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '_' || b == '-'
}

func parseSecretKey(c *Config, raw string) string {
	if raw == "" {
		c.SecretKey = nil
		return ""
	}
	key, problem := decodeSecretKey(raw)
	c.SecretKey = key
	return problem
}

// decodeSecretKey accepts every base64 flavour people paste: standard or
// URL alphabet, with or without padding. It never echoes the key.
func decodeSecretKey(raw string) ([]byte, string) {
	raw = strings.TrimSpace(raw)
	for _, enc := range []*base64.Encoding{
		base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding,
	} {
		if key, err := enc.DecodeString(raw); err == nil {
			return key, checkSecretKey(key, false)
		}
	}
	return nil, "must be base64 of exactly 32 bytes, got text that is not base64"
}

func checkSecretKey(key []byte, postgres bool) string {
	if key == nil && postgres {
		// Generating one per server would leave each unable to read what
		// the others sealed.
		return "required with a PostgreSQL database: every server must use the same key (base64 of 32 bytes)"
	}
	if key != nil && len(key) != secretKeyLen {
		return "must be base64 of exactly 32 bytes, got " + strconv.Itoa(len(key)) + " bytes"
	}
	return ""
}

func parseInboundMaxBytes(c *Config, raw string) string {
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || n <= 0 {
		return mustBe("a positive integer", raw)
	}
	c.InboundMaxBytes = n
	return ""
}

func checkInboundMaxBytes(n int64) string {
	if n <= 0 || n > maxInboundBytes {
		return mustBe("a positive integer up to 1073741824 (1 GiB)", strconv.FormatInt(n, 10))
	}
	return ""
}

func parseMaxConnections(c *Config, raw string) string {
	n, err := strconv.Atoi(raw)
	if err != nil || n <= 0 {
		return mustBe("a positive integer", raw)
	}
	c.MaxConnections = n
	return ""
}

func checkMaxConnections(n int) string {
	if n <= 0 {
		return mustBe("a positive integer", strconv.Itoa(n))
	}
	return ""
}

func parseMaxRetries(c *Config, raw string) string {
	n, err := strconv.Atoi(raw)
	if err != nil {
		return mustBe("an integer from 0 to 100", raw)
	}
	c.OutboundMaxRetries = n
	return ""
}

func checkMaxRetries(n int) string {
	if n < 0 || n > maxRetriesLimit {
		return mustBe("an integer from 0 to 100", strconv.Itoa(n))
	}
	return ""
}

func parseBackoffFactor(c *Config, raw string) string {
	f, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		return mustBe("a number of at least 1", raw)
	}
	c.OutboundBackoffFactor = f
	return ""
}

func checkBackoffFactor(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) || f < 1 {
		return mustBe("a number of at least 1", strconv.FormatFloat(f, 'g', -1, 64))
	}
	return ""
}

func parseAllowPrivate(c *Config, raw string) string {
	b, err := strconv.ParseBool(raw)
	if err != nil {
		return mustBe("true or false", raw)
	}
	c.AllowPrivateNetworks = b
	return ""
}

func parseDuration(dst *time.Duration, raw string) string {
	d, err := time.ParseDuration(raw)
	if err != nil {
		return mustBe("a positive duration such as 90s, 15m or 24h", raw)
	}
	*dst = d
	return ""
}

func checkDuration(d time.Duration) string {
	if d <= 0 {
		return mustBe("a positive duration such as 90s, 15m or 24h", formatDuration(d))
	}
	return ""
}

// formatDuration drops the zero units time.Duration.String adds ("24h0m0s").
func formatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}
