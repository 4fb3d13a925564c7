package outbound

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/wexio/webhooks/internal/egress"
)

// Outcome is what one delivery attempt means for the delivery.
type Outcome int

const (
	// Succeeded: the receiver answered 2xx; the delivery is done.
	Succeeded Outcome = iota + 1
	// Retry: the attempt failed; try again on the backoff schedule.
	Retry
	// RetryAfter: the receiver asked for a pause (Retry-After); try again
	// no sooner than Decision.Delay from now.
	RetryAfter
	// Failed: retrying cannot help; the delivery fails now.
	Failed
	// Disable: the receiver answered 410 Gone; the delivery fails now and
	// the webhook is disabled.
	Disable
)

func (o Outcome) String() string {
	switch o {
	case Succeeded:
		return "succeeded"
	case Retry:
		return "retry"
	case RetryAfter:
		return "retry_after"
	case Failed:
		return "failed"
	case Disable:
		return "disable"
	}
	return fmt.Sprintf("Outcome(%d)", int(o))
}

// Decision is the classified attempt. Reason is "" on success, otherwise
// words fit for the attempt's log row.
type Decision struct {
	Outcome Outcome
	Delay   time.Duration // RetryAfter only
	Reason  string
}

// Classify decides what an attempt's answer means. err != nil means there
// was no answer (status is then ignored). maxDelay caps a Retry-After, as
// the backoff cap caps our own delays, so a receiver cannot park a delivery
// for a year: one asking for longer fails the delivery, since the contract
// promises no attempt sooner than asked (retryDelivery can still resend
// it). maxDelay <= 0 means no cap.
func Classify(status int, header http.Header, err error, now time.Time, maxDelay time.Duration) Decision {
	if err != nil {
		return classifyError(err)
	}
	switch {
	case status >= 200 && status <= 299:
		return Decision{Outcome: Succeeded}
	case status >= 300 && status <= 399:
		return Decision{Outcome: Retry, Reason: fmt.Sprintf("redirect not followed (status %d)", status)}
	case status == http.StatusGone:
		return Decision{Outcome: Disable, Reason: "status 410: the receiver is gone; webhook disabled"}
	case status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable:
		return classifyRetryAfter(status, header.Get("Retry-After"), now, maxDelay)
	case status == 0:
		return Decision{Outcome: Retry, Reason: "no response"}
	}
	return Decision{Outcome: Retry, Reason: fmt.Sprintf("status %d", status)}
}

func classifyRetryAfter(status int, value string, now time.Time, maxDelay time.Duration) Decision {
	if value == "" {
		return Decision{Outcome: Retry, Reason: fmt.Sprintf("status %d", status)}
	}
	d, err := parseRetryAfter(value, now)
	d = d.Round(time.Second) // an HTTP date leaves a fraction no one asked for
	if err != nil {
		return Decision{
			Outcome: Retry,
			Reason:  fmt.Sprintf("status %d (invalid Retry-After %q ignored)", status, truncate(value, 64)),
		}
	}
	if maxDelay > 0 && d > maxDelay {
		return Decision{
			Outcome: Failed,
			Reason:  fmt.Sprintf("status %d (Retry-After %s, beyond the longest wait between attempts, %s)", status, d, maxDelay),
		}
	}
	return Decision{Outcome: RetryAfter, Delay: d, Reason: fmt.Sprintf("status %d (Retry-After %s)", status, d)}
}

// classifyError turns a failed round trip into a decision. A blocked
// address fails at once: the address will not become allowed by waiting,
// and retrying would only repeat the refused connection.
func classifyError(err error) Decision {
	var blocked *egress.BlockedError
	if errors.As(err, &blocked) {
		return Decision{Outcome: Failed, Reason: blocked.Error()}
	}
	// The *url.Error repeats method and URL, which the log row already has.
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout() {
		return Decision{Outcome: Retry, Reason: "timed out: " + err.Error()}
	}
	return Decision{Outcome: Retry, Reason: "network error: " + err.Error()}
}
