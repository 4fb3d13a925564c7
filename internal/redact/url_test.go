package redact_test

import (
	"testing"

	"github.com/wexio/webhooks/internal/redact"
)

func TestURL(t *testing.T) {
	t.Parallel()
	for raw, want := range map[string]string{
		"https://example.com/hook":                     "https://example.com/hook",
		"https://ada:pw@example.com/h":                 "https://ada:%5Bredacted%5D@example.com/h",
		"https://ada@example.com/h":                    "https://ada@example.com/h",
		"https://example.com/h?token=t&page=2&key=k":   "https://example.com/h?token=[redacted]&page=[redacted]&key=[redacted]",
		"https://example.com/h?b=2&a=%20x&api%5Fkey=k": "https://example.com/h?b=[redacted]&a=[redacted]&api%5Fkey=[redacted]", // keys as sent
		"https://example.com/h?x-signature=s#frag?a=b": "https://example.com/h?x-signature=[redacted]#frag?a=b",
		"https://example.com/h?flag&empty=&x=1":        "https://example.com/h?flag&empty=&x=[redacted]", // nothing to hide without a value
		"https://example.com/h?":                       "https://example.com/h?",
		"https://example.com/h#a?b=c":                  "https://example.com/h#a?b=c",                // a fragment, not a query
		"http://[::1]:namedport/h?secret=s":            "http://[::1]:namedport/h?secret=[redacted]", // does not parse: redacted all the same
		// Already redacted: as it is, so the stored URL, the API and the
		// log rows agree.
		"https://example.com/h?api_key=[redacted]&x=[redacted]": "https://example.com/h?api_key=[redacted]&x=[redacted]",
		"https://ada:%5Bredacted%5D@example.com/h?k=[redacted]": "https://ada:%5Bredacted%5D@example.com/h?k=[redacted]",
	} {
		if got := redact.URL(raw); got != want {
			t.Errorf("URL(%q) = %q, want %q", raw, got, want)
		}
	}
}

func TestQuery(t *testing.T) {
	t.Parallel()
	extra := map[string]bool{"x-custom-mac": true}
	for raw, want := range map[string]string{
		"hub.verify_token=v&hub.challenge=42&key=k&sig=s&page=2": "hub.verify_token=%5Bredacted%5D&hub.challenge=42&key=%5Bredacted%5D&sig=%5Bredacted%5D&page=2",
		"page=2&page=3&flag":          "page=2&page=3&flag", // repeated and bare keys kept as they came
		"X-Custom-Mac=ab&b=%zz":       "X-Custom-Mac=%5Bredacted%5D&b=%zz",
		"%zz=1&to%6Ben=t&api%5Fkey=k": "%zz=1&to%6Ben=%5Bredacted%5D&api%5Fkey=%5Bredacted%5D", // keys compared unescaped, kept escaped
	} {
		if got := redact.Query(raw, extra); got != want {
			t.Errorf("Query(%q) = %q, want %q", raw, got, want)
		}
	}
}
