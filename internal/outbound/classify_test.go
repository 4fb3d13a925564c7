package outbound

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wexio/webhooks/internal/egress"
)

func retryAfter(v string) http.Header { return http.Header{"Retry-After": {v}} }

func TestClassifyStatus(t *testing.T) {
	t.Parallel()
	const capDelay = 24 * time.Hour
	tests := []struct {
		status int
		header http.Header
		want   Decision
	}{
		{200, nil, Decision{Outcome: Succeeded}},
		{201, nil, Decision{Outcome: Succeeded}},
		{202, retryAfter("5"), Decision{Outcome: Succeeded}},
		{204, nil, Decision{Outcome: Succeeded}},
		{299, nil, Decision{Outcome: Succeeded}},
		{100, nil, Decision{Outcome: Retry, Reason: "status 100"}},
		{0, nil, Decision{Outcome: Retry, Reason: "no response"}},
		{300, nil, Decision{Outcome: Retry, Reason: "redirect not followed (status 300)"}},
		{301, nil, Decision{Outcome: Retry, Reason: "redirect not followed (status 301)"}},
		{302, http.Header{"Location": {"https://x"}}, Decision{Outcome: Retry, Reason: "redirect not followed (status 302)"}},
		{304, nil, Decision{Outcome: Retry, Reason: "redirect not followed (status 304)"}},
		{307, nil, Decision{Outcome: Retry, Reason: "redirect not followed (status 307)"}},
		{308, nil, Decision{Outcome: Retry, Reason: "redirect not followed (status 308)"}},
		{400, nil, Decision{Outcome: Retry, Reason: "status 400"}},
		{401, nil, Decision{Outcome: Retry, Reason: "status 401"}},
		{404, nil, Decision{Outcome: Retry, Reason: "status 404"}},
		{409, retryAfter("5"), Decision{Outcome: Retry, Reason: "status 409"}},
		{410, nil, Decision{Outcome: Disable, Reason: "status 410: the receiver is gone; webhook disabled"}},
		{410, retryAfter("5"), Decision{Outcome: Disable, Reason: "status 410: the receiver is gone; webhook disabled"}},
		{413, nil, Decision{Outcome: Retry, Reason: "status 413"}},
		{429, nil, Decision{Outcome: Retry, Reason: "status 429"}},
		{429, retryAfter(""), Decision{Outcome: Retry, Reason: "status 429"}},
		{429, retryAfter("120"), Decision{Outcome: RetryAfter, Delay: 2 * time.Minute, Reason: "status 429 (Retry-After 2m0s)"}},
		{429, retryAfter(" 0 "), Decision{Outcome: RetryAfter, Delay: 0, Reason: "status 429 (Retry-After 0s)"}},
		{429, retryAfter("Thu, 26 Nov 2026 17:05:00 GMT"), Decision{Outcome: RetryAfter, Delay: 5 * time.Minute, Reason: "status 429 (Retry-After 5m0s)"}},
		{429, retryAfter("Thu, 26 Nov 2026 16:00:00 GMT"), Decision{Outcome: RetryAfter, Delay: 0, Reason: "status 429 (Retry-After 0s)"}},
		{429, retryAfter("soon"), Decision{Outcome: Retry, Reason: `status 429 (invalid Retry-After "soon" ignored)`}},
		{429, retryAfter("-5"), Decision{Outcome: Retry, Reason: `status 429 (invalid Retry-After "-5" ignored)`}},
		{429, retryAfter("1.5"), Decision{Outcome: Retry, Reason: `status 429 (invalid Retry-After "1.5" ignored)`}},
		{429, retryAfter("86400"), Decision{Outcome: RetryAfter, Delay: capDelay, Reason: "status 429 (Retry-After 24h0m0s)"}},
		{429, retryAfter("86401"), Decision{Outcome: Failed, Reason: "status 429 (Retry-After 24h0m1s, beyond the longest wait between attempts, 24h0m0s)"}},
		{429, retryAfter("99999999999999999999999"), Decision{Outcome: Failed, Reason: "status 429 (Retry-After 876000h0m0s, beyond the longest wait between attempts, 24h0m0s)"}},
		{503, nil, Decision{Outcome: Retry, Reason: "status 503"}},
		{503, retryAfter("30"), Decision{Outcome: RetryAfter, Delay: 30 * time.Second, Reason: "status 503 (Retry-After 30s)"}},
		{503, retryAfter("Thursday, 26-Nov-26 17:00:30 GMT"), Decision{Outcome: RetryAfter, Delay: 30 * time.Second, Reason: "status 503 (Retry-After 30s)"}},
		{503, retryAfter("Fri, 01 Jan 2100 00:00:00 GMT"), Decision{Outcome: Failed, Reason: "status 503 (Retry-After 640759h0m0s, beyond the longest wait between attempts, 24h0m0s)"}},
		{503, retryAfter("2026-11-26T17:05:00Z"), Decision{Outcome: Retry, Reason: `status 503 (invalid Retry-After "2026-11-26T17:05:00Z" ignored)`}},
		{500, retryAfter("30"), Decision{Outcome: Retry, Reason: "status 500"}},
		{502, nil, Decision{Outcome: Retry, Reason: "status 502"}},
		{504, nil, Decision{Outcome: Retry, Reason: "status 504"}},
		{599, nil, Decision{Outcome: Retry, Reason: "status 599"}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d %v", tt.status, tt.header), func(t *testing.T) {
			t.Parallel()
			if got := Classify(tt.status, tt.header, nil, t0, capDelay); got != tt.want {
				t.Fatalf("Classify = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestClassifyRetryAfterCapZero(t *testing.T) {
	t.Parallel()
	got := Classify(429, retryAfter("600000"), nil, t0, 0)
	if got.Outcome != RetryAfter || got.Delay != 600000*time.Second {
		t.Fatalf("Classify with cap 0 = %+v", got)
	}
}

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

func TestClassifyError(t *testing.T) {
	t.Parallel()
	wrapURL := func(err error) error {
		return &url.Error{Op: "Post", URL: "https://x.example/hook?token=s3cret", Err: err}
	}
	blocked := &egress.BlockedError{Addr: "127.0.0.1", Reason: "loopback"}
	tests := []struct {
		name string
		err  error
		want Decision
	}{
		{"blocked", wrapURL(&net.OpError{Op: "dial", Net: "tcp", Err: blocked}),
			Decision{Outcome: Failed, Reason: "outbound: blocked address 127.0.0.1 (loopback)"}},
		{"client timeout", wrapURL(fmt.Errorf("%w (Client.Timeout exceeded while awaiting headers)", context.DeadlineExceeded)),
			Decision{Outcome: Retry, Reason: "timed out: context deadline exceeded (Client.Timeout exceeded while awaiting headers)"}},
		{"dial timeout", wrapURL(&net.OpError{Op: "dial", Net: "tcp", Err: timeoutErr{}}),
			Decision{Outcome: Retry, Reason: "timed out: dial tcp: i/o timeout"}},
		{"refused", wrapURL(&net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}),
			Decision{Outcome: Retry, Reason: "network error: dial tcp: connection refused"}},
		{"dns", wrapURL(&net.DNSError{Err: "no such host", Name: "nope.invalid", IsNotFound: true}),
			Decision{Outcome: Retry, Reason: "network error: lookup nope.invalid: no such host"}},
		{"eof", wrapURL(io.EOF), Decision{Outcome: Retry, Reason: "network error: EOF"}},
		{"bare", errors.New("boom"), Decision{Outcome: Retry, Reason: "network error: boom"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// The status is ignored when there is an error.
			got := Classify(200, nil, tt.err, t0, time.Hour)
			if got != tt.want {
				t.Fatalf("Classify = %+v, want %+v", got, tt.want)
			}
			if strings.Contains(got.Reason, "s3cret") {
				t.Fatalf("Reason %q repeats the URL", got.Reason)
			}
		})
	}
}

func TestOutcomeString(t *testing.T) {
	t.Parallel()
	for o, want := range map[Outcome]string{
		Succeeded: "succeeded", Retry: "retry", RetryAfter: "retry_after",
		Failed: "failed", Disable: "disable", 0: "Outcome(0)", 9: "Outcome(9)",
	} {
		if o.String() != want {
			t.Errorf("%d.String() = %q, want %q", int(o), o.String(), want)
		}
	}
}

// TestRetryAfterDateIsRounded: an HTTP date leaves the wait a fraction of a
// second off whole; the decision keeps whole seconds, and so reads cleanly.
func TestRetryAfterDateIsRounded(t *testing.T) {
	t.Parallel()
	now := t0.Add(-250 * time.Millisecond)
	got := Classify(503, retryAfter("Thu, 26 Nov 2026 17:05:00 GMT"), nil, now, 24*time.Hour)
	if got.Outcome != RetryAfter || got.Delay != 5*time.Minute || got.Reason != "status 503 (Retry-After 5m0s)" {
		t.Fatalf("Classify = %+v, want a 5m0s wait", got)
	}
}
