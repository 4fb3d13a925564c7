package app

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Slack's url_verification is answered with the challenge only when signed;
// Meta's GET hub.challenge only with the right verify token.
func TestInboundHandshakes(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	const secret = "8f742231b10e8888abcd99yyyzzz85a5"
	slack := ta.createIn(t, ta.key, map[string]any{"name": "slack", "auth": map[string]any{"mode": "SLACK", "secret": secret}})
	body := `{"token":"x","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	sig := "v0=" + hmacHex(sha256.New, []byte(secret), "v0:"+ts+":"+body)
	r := ta.send(t, http.MethodPost, slack.path, "application/json", []byte(body),
		map[string]string{"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sig})
	if r.status != 200 || !strings.Contains(r.body, `"challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"`) {
		t.Fatalf("signed url_verification: %d %s", r.status, r.body)
	}
	r = ta.send(t, http.MethodPost, slack.path, "application/json", []byte(body),
		map[string]string{"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": "v0=" + strings.Repeat("0", 64)})
	if r.status != 401 || strings.Contains(r.body, "3eZbrw") {
		t.Fatalf("unsigned url_verification answered: %d %s", r.status, r.body)
	}

	meta := ta.createIn(t, ta.key, map[string]any{"name": "meta", "auth": map[string]any{
		"mode": "PRESET", "preset": "meta", "secret": "app-secret", "verifyToken": "my-verify"}})
	q := "?hub.mode=subscribe&hub.verify_token=%s&hub.challenge=1158201444"
	r = ta.send(t, http.MethodGet, meta.path+fmt.Sprintf(q, "my-verify"), "", nil, nil)
	if r.status != 200 || r.body != "1158201444" || !strings.HasPrefix(r.header.Get("Content-Type"), "text/plain") {
		t.Fatalf("meta handshake: %d %q %s", r.status, r.body, r.header.Get("Content-Type"))
	}
	r = ta.send(t, http.MethodGet, meta.path+fmt.Sprintf(q, "wrong"), "", nil, nil)
	if r.status != 403 || errorCode(t, r.body) != "invalid_verify_token" {
		t.Fatalf("meta handshake with a wrong token: %d %s", r.status, r.body)
	}
	// Without a verifyToken the secret answers, during a rotation's grace
	// the previous one too.
	bare := ta.createIn(t, ta.key, map[string]any{"name": "meta-bare", "auth": map[string]any{
		"mode": "PRESET", "preset": "meta", "secret": "app-secret"}})
	ta.ok(t, ta.key, `mutation($id: ID!) { rotateWebhookSecret(id: $id, secret: "app-secret-2") { webhook { id } } }`,
		map[string]any{"id": bare.id})
	for _, tok := range []string{"app-secret", "app-secret-2"} {
		if r := ta.send(t, http.MethodGet, bare.path+fmt.Sprintf(q, tok), "", nil, nil); r.status != 200 || r.body != "1158201444" {
			t.Fatalf("meta handshake with the secret %q: %d %s", tok, r.status, r.body)
		}
	}
	if r := ta.send(t, http.MethodGet, bare.path+fmt.Sprintf(q, "my-verify"), "", nil, nil); r.status != 403 {
		t.Fatalf("meta handshake with another token: %d", r.status)
	}
	logs := ta.logs(t, ta.key, meta.id)
	if len(logs) != 2 || str(logs[1], "outcome") != "ACCEPTED" || str(logs[0], "outcome") != "REJECTED" {
		t.Fatalf("handshake logs %v", logs)
	}
	if strings.Contains(str(logs[0], "request.url"), "wrong") {
		t.Fatalf("the verify token reached the log: %s", str(logs[0], "request.url"))
	}
}

// The presets' handshakes not covered by TestInboundHandshakes (Slack, Meta),
// answered the way each provider expects, each logged.
func TestPresetHandshakesEndToEnd(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	now := time.Now()

	t.Run("discord PING", func(t *testing.T) {
		t.Parallel()
		pub, priv, _ := ed25519.GenerateKey(rand.Reader)
		h := ta.peCreate(t, "discord", hex.EncodeToString(pub), nil)
		ping := discordSigner(priv)(ta.peIn(h, "", `{"type":1}`, "", now))
		r := ta.peSend(t, h, "", ping)
		if r.status != 200 || r.body != `{"type":1}` || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
			t.Fatalf("verified PING: %d %q %s", r.status, r.body, r.header.Get("Content-Type"))
		}
		// Discord probes with bad signatures and drops endpoints that answer them.
		_, other, _ := ed25519.GenerateKey(rand.Reader)
		r = ta.peSend(t, h, "", discordSigner(other)(ta.peIn(h, "", `{"type":1}`, "", now)))
		if r.status != 401 || errorCode(t, r.body) != "invalid_signature" {
			t.Fatalf("badly signed PING: %d %s", r.status, r.body)
		}
		peWantOutcomes(t, ta, h, "REJECTED", "ACCEPTED")
	})

	t.Run("zoom endpoint.url_validation", func(t *testing.T) {
		t.Parallel()
		secret := hex.EncodeToString(peRand(11))
		h := ta.peCreate(t, "zoom", secret, nil)
		plain := "qgg8vlvZRS6UYooatFL8Aw"
		body := fmt.Sprintf(`{"payload":{"plainToken":%q},"event_ts":%d,"event":"endpoint.url_validation"}`, plain, now.UnixMilli())
		r := ta.peSend(t, h, "", v0Signer(secret, "x-zm-signature", "x-zm-request-timestamp")(ta.peIn(h, "", body, "", now)))
		var got struct{ PlainToken, EncryptedToken string }
		if r.status != 200 || json.Unmarshal([]byte(r.body), &got) != nil {
			t.Fatalf("url_validation: %d %s", r.status, r.body)
		}
		if got.PlainToken != plain || got.EncryptedToken != hmacHex(sha256.New, []byte(secret), plain) {
			t.Fatalf("url_validation answer %s", r.body)
		}
		r = ta.peSend(t, h, "", v0Signer("wrong", "x-zm-signature", "x-zm-request-timestamp")(ta.peIn(h, "", body, "", now)))
		if r.status != 401 || strings.Contains(r.body, "encryptedToken") {
			t.Fatalf("badly signed url_validation: %d %s", r.status, r.body)
		}
		peWantOutcomes(t, ta, h, "REJECTED", "ACCEPTED")
	})

	t.Run("twitch webhook_callback_verification", func(t *testing.T) {
		t.Parallel()
		secret := hex.EncodeToString(peRand(16))
		h := ta.peCreate(t, "twitch", secret, nil)
		body := `{"challenge":"pogchamp-kappa-360noscope-vohiyo","subscription":{"id":"f1c2a387-161a-49f9-a165-0f21d7a4e1c4","type":"channel.follow","version":"2","status":"webhook_callback_verification_pending"}}`
		r := ta.peSend(t, h, "", twitchSigner(secret, "webhook_callback_verification")(ta.peIn(h, "", body, peID("m-"), now)))
		if r.status != 200 || r.body != "pogchamp-kappa-360noscope-vohiyo" || !strings.HasPrefix(r.header.Get("Content-Type"), "text/plain") {
			t.Fatalf("callback verification: %d %q %s", r.status, r.body, r.header.Get("Content-Type"))
		}
		r = ta.peSend(t, h, "", twitchSigner("wrong-secret", "webhook_callback_verification")(ta.peIn(h, "", body, peID("m-"), now)))
		if r.status != 401 || strings.Contains(r.body, "pogchamp") {
			t.Fatalf("badly signed callback verification: %d %s", r.status, r.body)
		}
		peWantOutcomes(t, ta, h, "REJECTED", "ACCEPTED")
	})

	t.Run("woocommerce creation ping", func(t *testing.T) {
		t.Parallel()
		h := ta.peCreate(t, "woocommerce", "wc-secret", nil)
		r := ta.send(t, http.MethodPost, h.path, "application/x-www-form-urlencoded", []byte("webhook_id=17"), nil)
		if r.status != 200 {
			t.Fatalf("creation ping: %d %s (WooCommerce activates the webhook on exactly 200)", r.status, r.body)
		}
		// Anything else unsigned is refused.
		r = ta.send(t, http.MethodPost, h.path, "application/x-www-form-urlencoded", []byte("webhook_id=17&order=1"), nil)
		if r.status != 401 {
			t.Fatalf("unsigned form that is not the ping: %d %s", r.status, r.body)
		}
		peWantOutcomes(t, ta, h, "REJECTED", "ACCEPTED")
	})
}
