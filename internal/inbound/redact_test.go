package inbound

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/wexio/webhooks/internal/history"
)

func TestRedaction(t *testing.T) {
	extra := map[string]bool{"x-custom-mac": true}
	h := http.Header{
		"X-Webhook-Secret": {"s"}, "Authorization": {"Bearer s"}, "Stripe-Signature": {"t=1,v1=ab"},
		"X-Hub-Signature-256": {"sha256=ab"}, "X-Shopify-Hmac-Sha256": {"ab"}, "X-Gitlab-Token": {"t"},
		"X-Custom-Mac": {"ab"}, "Cookie": {"c"}, "X-Api-Key": {"k"},
		"X-Design": {"kept"}, "Content-Type": {"application/json"}, "X-Multi": {"a", "b"},
	}
	got := history.Headers(h, func(k string) bool { return history.SecretName(k, extra) })
	for k := range h {
		want := history.Redacted
		switch k {
		case "X-Design", "Content-Type":
			want = h.Get(k)
		case "X-Multi":
			want = "a, b"
		}
		if got[k] != want {
			t.Errorf("%s = %q, want %q", k, got[k], want)
		}
	}
	u, _ := url.Parse("/in/tok?hub.verify_token=v&hub.challenge=42&key=k&sig=s&page=2")
	if r := redactURL(u, nil); r != "/in/tok?hub.verify_token=%5Bredacted%5D&hub.challenge=42&key=%5Bredacted%5D&sig=%5Bredacted%5D&page=2" {
		t.Errorf("url %s", r)
	}
	if r := redactURL(&url.URL{Path: "/in/tok"}, nil); r != "/in/tok" {
		t.Errorf("url without query %s", r)
	}
}
