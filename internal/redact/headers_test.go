package redact_test

import (
	"net/http"
	"testing"

	"github.com/wexio/webhooks/internal/redact"
)

func TestHeaders(t *testing.T) {
	t.Parallel()
	extra := map[string]bool{"x-custom-mac": true}
	h := http.Header{
		"X-Webhook-Secret": {"s"}, "Authorization": {"Bearer s"}, "Stripe-Signature": {"t=1,v1=ab"},
		"X-Hub-Signature-256": {"sha256=ab"}, "X-Shopify-Hmac-Sha256": {"ab"}, "X-Gitlab-Token": {"t"},
		"X-Custom-Mac": {"ab"}, "Cookie": {"c"}, "X-Api-Key": {"k"},
		"X-Design": {"kept"}, "Content-Type": {"application/json"}, "X-Multi": {"a", "b"},
		"x-lower": {"canonical"}, // set without canonicalising: kept under its canonical name
	}
	got := redact.Headers(h, func(k string) bool { return redact.IsSecret(k, extra) })
	for k := range h {
		want := redact.Marker
		switch k {
		case "X-Design", "Content-Type", "x-lower":
			want = h[k][0]
		case "X-Multi":
			want = "a, b"
		}
		if got[http.CanonicalHeaderKey(k)] != want {
			t.Errorf("%s = %q, want %q", k, got[http.CanonicalHeaderKey(k)], want)
		}
	}
	if len(got) != len(h) {
		t.Errorf("%d headers kept, want %d", len(got), len(h))
	}
	if all := redact.Headers(http.Header{"Authorization": {"s"}}, nil); all["Authorization"] != "s" {
		t.Errorf("without a secret func, nothing is redacted: %v", all)
	}
}
