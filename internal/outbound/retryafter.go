package outbound

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// errRetryAfter is wrapped by errors for Retry-After values that are
// neither delta-seconds nor an HTTP-date.
var errRetryAfter = errors.New("outbound: invalid Retry-After")

// maxRetryAfterSeconds keeps delta-seconds inside time.Duration; anything
// near it is capped by the caller anyway.
const maxRetryAfterSeconds = int64(maxDelay / time.Second)

// parseRetryAfter reads a Retry-After value (RFC 9110 §10.2.3): a number of
// seconds or an HTTP-date, taken relative to now. A date in the past means
// no wait.
func parseRetryAfter(value string, now time.Time) (time.Duration, error) {
	v := strings.TrimSpace(value)
	if v != "" && isDigits(v) {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n > maxRetryAfterSeconds {
			// Only overflow reaches here: the text is all digits.
			n = maxRetryAfterSeconds
		}
		return time.Duration(n) * time.Second, nil
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, fmt.Errorf("parsing retry-after %q: %w", truncate(v, 64), errRetryAfter)
	}
	return max(t.Sub(now), 0), nil
}

func isDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// truncate keeps a receiver's header from bloating our log rows.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
