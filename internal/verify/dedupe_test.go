package verify

import (
	"net/http"
	"strings"
	"testing"
)

func TestDeliveryID(t *testing.T) {
	t.Parallel()
	h := func(kv ...string) http.Header {
		out := http.Header{}
		for i := 0; i < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	cases := []struct {
		name string
		cfg  Config
		r    Request
		want string
	}{
		{"stripe event id", Config{Mode: Stripe}, Request{Body: []byte(`{"id":"evt_123","object":"event"}`)}, "evt_123"},
		{"stripe non-json", Config{Mode: Stripe}, Request{Body: []byte(`id=evt_1`)}, ""},
		{"svix", Config{Mode: Svix}, Request{Header: h("svix-id", "msg_1")}, "msg_1"},
		{"svix webhook-id", Config{Mode: Svix}, Request{Header: h("webhook-id", "msg_2")}, "msg_2"},
		{"github", Config{Mode: Preset, Preset: "github"}, Request{Header: h("X-GitHub-Delivery", "72d3162e")}, "72d3162e"},
		{"shopify", Config{Mode: Preset, Preset: "shopify"}, Request{Header: h("X-Shopify-Webhook-Id", "b54557e4")}, "b54557e4"},
		{"shopify events", Config{Mode: Preset, Preset: "shopify"}, Request{Header: h("shopify-webhook-id", "e1")}, "e1"},
		{"twitch", Config{Mode: Preset, Preset: "twitch"}, Request{Header: h("Twitch-Eventsub-Message-Id", "befa7b53")}, "befa7b53"},
		{"linear", Config{Mode: Preset, Preset: "linear"}, Request{Header: h("Linear-Delivery", "234d1a4e")}, "234d1a4e"},
		{"woocommerce", Config{Mode: Preset, Preset: "woocommerce"}, Request{Header: h("X-WC-Webhook-Delivery-ID", "42")}, "42"},
		{"razorpay", Config{Mode: Preset, Preset: "razorpay"}, Request{Header: h("X-Razorpay-Event-Id", "Ev1")}, "Ev1"},
		{"gitlab", Config{Mode: Preset, Preset: "gitlab"}, Request{Header: h("Idempotency-Key", "k1")}, "k1"},
		{"gitlab signing", Config{Mode: Preset, Preset: "gitlab-signing"}, Request{Header: h("webhook-id", "k2")}, "k2"},
		{"jira", Config{Mode: Preset, Preset: "jira"}, Request{Header: h("X-Atlassian-Webhook-Identifier", "j1")}, "j1"},
		{"mailgun json", Config{Mode: Preset, Preset: "mailgun"}, Request{Body: []byte(`{"signature":{"token":"tok"}}`)}, "tok"},
		{"mailgun form", Config{Mode: Preset, Preset: "mailgun"}, Request{Body: []byte(`token=tok2&timestamp=1`)}, "tok2"},
		{"paddle", Config{Mode: Paddle}, Request{Body: []byte(`{"notification_id":"ntf_1"}`)}, "ntf_1"},
		{"slack", Config{Mode: Slack}, Request{Body: []byte(`{"event_id":"Ev9"}`)}, "Ev9"},
		{"square", Config{Mode: Preset, Preset: "square"}, Request{Body: []byte(`{"event_id":"sq1"}`)}, "sq1"},
		{"generic id header", Config{Mode: GenericHMAC, HMAC: &HMACParams{Header: "X-S", Algorithm: "SHA256", Encoding: "HEX", SignedPayload: "{body}", IDHeader: "X-Req"}},
			Request{Header: h("X-Req", "r1")}, "r1"},
		{"none for revolut", Config{Mode: Revolut}, Request{Header: h("X-GitHub-Delivery", "x")}, ""},
		{"none for shared secret", Config{Mode: SharedSecret}, Request{Header: h("webhook-id", "x")}, ""},
		{"absent", Config{Mode: Preset, Preset: "github"}, Request{}, ""},
		{"too long", Config{Mode: Preset, Preset: "github"}, Request{Header: h("X-GitHub-Delivery", strings.Repeat("a", 256))}, ""},
		{"longest", Config{Mode: Preset, Preset: "github"}, Request{Header: h("X-GitHub-Delivery", strings.Repeat("a", 255))}, strings.Repeat("a", 255)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if got := mustNew(t, c.cfg).DeliveryID(c.r); got != c.want {
				t.Fatalf("got %q, want %q", got, c.want)
			}
		})
	}
}
