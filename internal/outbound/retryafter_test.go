package outbound

import (
	"errors"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		value string
		want  time.Duration
		ok    bool
	}{
		{"0", 0, true},
		{"120", 2 * time.Minute, true},
		{"  7\t", 7 * time.Second, true},
		{"007", 7 * time.Second, true},
		{"99999999999999999999", maxDelay, true},
		{"Thu, 26 Nov 2026 17:01:00 GMT", time.Minute, true},
		{"Thursday, 26-Nov-26 17:01:00 GMT", time.Minute, true},
		{"Thu Nov 26 17:01:00 2026", time.Minute, true},
		{"Wed, 25 Nov 2026 17:01:00 GMT", 0, true},
		{"", 0, false},
		{"-1", 0, false},
		{"+1", 0, false},
		{"1e3", 0, false},
		{"1 2", 0, false},
		{"tomorrow", 0, false},
	}
	for _, tt := range tests {
		got, err := parseRetryAfter(tt.value, t0)
		if tt.ok != (err == nil) || got != tt.want {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, ok %v", tt.value, got, err, tt.want, tt.ok)
		}
		if err != nil && !errors.Is(err, errRetryAfter) {
			t.Errorf("parseRetryAfter(%q) error %v does not wrap errRetryAfter", tt.value, err)
		}
	}
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, seed := range []string{
		"0", "120", "99999999999999999999", "Thu, 26 Nov 2026 17:01:00 GMT",
		"Thursday, 26-Nov-26 17:01:00 GMT", "Thu Nov 26 17:01:00 2026", "", "-1", "soon",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, value string) {
		d, err := parseRetryAfter(value, t0)
		if err != nil {
			if !errors.Is(err, errRetryAfter) || d != 0 {
				t.Fatalf("parseRetryAfter(%q) = %v, %v", value, d, err)
			}
			return
		}
		if d < 0 {
			t.Fatalf("parseRetryAfter(%q) = %v, negative", value, d)
		}
		// Within the cap the receiver's wait is kept; beyond it, the
		// delivery fails rather than coming back sooner than asked.
		dec := Classify(503, retryAfter(value), nil, t0, time.Hour)
		switch {
		case value == "":
		case d <= time.Hour && (dec.Outcome != RetryAfter || dec.Delay != d):
			t.Fatalf("Classify with Retry-After %q (%v) = %+v", value, d, dec)
		case d > time.Hour && (dec.Outcome != Failed || dec.Delay != 0):
			t.Fatalf("Classify with Retry-After %q (%v) beyond the cap = %+v", value, d, dec)
		}
	})
}
