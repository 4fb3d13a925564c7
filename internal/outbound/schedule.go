package outbound

import "time"

// Schedule turns a decision into what the delivery row needs: when the next
// attempt is due, or final when there is none (the delivery then succeeded
// if d.Outcome is Succeeded, and failed otherwise). retriesDone counts the
// retries already made, so it is the number of attempts so far minus one;
// with maxRetries 5 a delivery gets 6 attempts at most.
//
// For RetryAfter the next attempt comes no sooner than the receiver asked,
// nor sooner than our own backoff, and never later than the backoff cap.
func Schedule(d Decision, retriesDone, maxRetries int, b Backoff, now time.Time) (next time.Time, final bool) {
	switch d.Outcome {
	case Retry, RetryAfter:
	default: // Succeeded, Failed, Disable, and anything unknown: stop.
		return time.Time{}, true
	}
	if retriesDone >= maxRetries {
		return time.Time{}, true
	}
	next = b.Next(retriesDone+1, now)
	if d.Outcome == RetryAfter {
		wait := d.Delay
		if b.Max > 0 {
			wait = min(wait, b.Max)
		}
		next = later(next, now.Add(max(wait, 0)))
	}
	return next, false
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
