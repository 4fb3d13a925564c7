package history_test

import (
	"testing"

	"github.com/wexio/webhooks/internal/history"
)

func TestSecretName(t *testing.T) {
	for name, want := range map[string]bool{
		"api_key": true, "X-Api-Key": true, "apikey": true, "auth": true, "pass": true, "pwd": true, "key": true,
		"access_token": true, "X-Hub-Signature-256": true, "Proxy-Authorization": true, "client_credentials": true,
		"author": false, "keyword": false, "passage": false, "page": false, "Content-Type": false, "X-Design": false,
	} {
		if got := history.SecretName(name, nil); got != want {
			t.Errorf("SecretName(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestRedactURL(t *testing.T) {
	for raw, want := range map[string]string{
		"https://example.com/hook":                     "https://example.com/hook",
		"https://ada:pw@example.com/h":                 "https://ada:%5Bredacted%5D@example.com/h",
		"https://ada@example.com/h":                    "https://ada@example.com/h",
		"https://example.com/h?token=t&page=2&key=k":   "https://example.com/h?token=%5Bredacted%5D&page=2&key=%5Bredacted%5D",
		"https://example.com/h?b=2&a=%20x&api%5Fkey=k": "https://example.com/h?b=2&a=%20x&api%5Fkey=%5Bredacted%5D", // as sent, the secret aside
		"https://example.com/h?x-signature=s#frag":     "https://example.com/h?x-signature=%5Bredacted%5D#frag",
		"http://[::1]:namedport/h?secret=s":            "http://[::1]:namedport/h?secret=s", // does not parse: kept
	} {
		if got := history.RedactURL(raw); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", raw, got, want)
		}
	}
}
