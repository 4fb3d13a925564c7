package verify

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"
)

const hsSecret = "test_secret_123"

var hsNow = time.Unix(1700000000, 0)

type handshakeCase struct {
	name     string
	cfg      Config
	r        Request
	ok       bool
	err      error
	ctype    string
	wantBody string
}

func runHandshakes(t *testing.T, cases []handshakeCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if c.cfg.Tolerance == 0 {
				c.cfg.Tolerance = 300 * time.Second
			}
			resp, ok, err := mustNew(t, c.cfg).Handshake(c.r, hsNow)
			if ok != c.ok || (c.err == nil) != (err == nil) || c.err != nil && !errors.Is(err, c.err) {
				t.Fatalf("got ok=%v err=%v, want ok=%v err=%v", ok, err, c.ok, c.err)
			}
			if !ok || err != nil {
				if resp != nil {
					t.Fatalf("response %+v alongside ok=%v err=%v", resp, ok, err)
				}
				return
			}
			if resp.Status != http.StatusOK || resp.ContentType != c.ctype || string(resp.Body) != c.wantBody {
				t.Fatalf("got %d %q %s, want 200 %q %s", resp.Status, resp.ContentType, resp.Body, c.ctype, c.wantBody)
			}
		})
	}
}

func post(body string, kv ...string) Request {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Set(kv[i], kv[i+1])
	}
	return Request{Method: "POST", URL: "https://example.com/in/tok", Header: h, Body: []byte(body)}
}

func TestHandshakeSlack(t *testing.T) {
	t.Parallel()
	body := `{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`
	signed := post(body, "X-Slack-Signature", signSlack(hsSecret, hsNow.Unix(), body), "X-Slack-Request-Timestamp", fmt.Sprint(hsNow.Unix()))
	stale := post(body, "X-Slack-Signature", signSlack(hsSecret, hsNow.Unix()-600, body), "X-Slack-Request-Timestamp", fmt.Sprint(hsNow.Unix()-600))
	event := `{"type":"event_callback","event":{}}`
	cfg := Config{Mode: Slack, Secrets: []string{hsSecret}}
	runHandshakes(t, []handshakeCase{
		{"signed", cfg, signed, true, nil, "application/json", `{"challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}`},
		{"as preset", Config{Mode: Preset, Preset: "slack", Secrets: []string{hsSecret}}, signed, true, nil, "application/json",
			`{"challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}`},
		{"unsigned", cfg, post(body), true, ErrMissingSignature, "", ""},
		{"wrong secret", Config{Mode: Slack, Secrets: []string{"other"}}, signed, true, ErrInvalidSignature, "", ""},
		{"stale", cfg, stale, true, ErrTimestampOutsideTolerance, "", ""},
		{"an event is no handshake", cfg, post(event), false, nil, "", ""},
		{"github has none", Config{Mode: Preset, Preset: "github", Secrets: []string{hsSecret}}, signed, false, nil, "", ""},
	})
}

func TestHandshakeDiscord(t *testing.T) {
	t.Parallel()
	v := loadVectors(t)
	var ping vector
	for _, x := range v {
		if x.Name == "discord/rfc8032" {
			ping = x
		}
	}
	seed, _ := hex.DecodeString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
	cmd := `{"type":2,"data":{"name":"hi"}}`
	signedCmd := post(cmd, "X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(ed25519.NewKeyFromSeed(seed), []byte("1700000000"+cmd))),
		"X-Signature-Timestamp", "1700000000")
	bad := ping.request()
	bad.Header.Set("X-Signature-Ed25519", hex.EncodeToString(make([]byte, 64)))
	cfg := ping.config(ping.Secret)
	runHandshakes(t, []handshakeCase{
		{"ping", cfg, ping.request(), true, nil, "application/json", `{"type":1}`},
		{"bad signature", cfg, bad, true, ErrInvalidSignature, "", ""},
		{"unsigned", cfg, post(`{"type":1}`), true, ErrMissingSignature, "", ""},
		{"command is no handshake", cfg, signedCmd, false, nil, "", ""},
	})
}

func TestHandshakeTwitch(t *testing.T) {
	t.Parallel()
	body := `{"challenge":"pogchamp-kappa-360noscope-vohiyo","subscription":{"id":"f1c2a387","type":"channel.follow"}}`
	sign := func(typ, secret string) Request {
		id, ts := "e6ddcd4b", "2023-11-14T22:13:20.123456789Z"
		return post(body, "Twitch-Eventsub-Message-Type", typ, "Twitch-Eventsub-Message-Id", id,
			"Twitch-Eventsub-Message-Timestamp", ts, "Twitch-Eventsub-Message-Signature", "sha256="+hexMAC(sha256.New, secret, id+ts+body))
	}
	cfg := Config{Mode: Preset, Preset: "twitch", Secrets: []string{hsSecret}}
	runHandshakes(t, []handshakeCase{
		{"verification", cfg, sign("webhook_callback_verification", hsSecret), true, nil, "text/plain; charset=utf-8", "pogchamp-kappa-360noscope-vohiyo"},
		{"wrong secret", cfg, sign("webhook_callback_verification", "nope"), true, ErrInvalidSignature, "", ""},
		{"notification", cfg, sign("notification", hsSecret), false, nil, "", ""},
	})
}

func TestHandshakeZoom(t *testing.T) {
	t.Parallel()
	body := `{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1700000000000,"event":"endpoint.url_validation"}`
	sign := func(secret string) Request {
		return post(body, "x-zm-signature", signSlack(secret, 1700000000, body), "x-zm-request-timestamp", "1700000000")
	}
	want := `{"plainToken":"qgg8vlvZRS6UYooatFL8Aw","encryptedToken":"fcffe51a72726475ccd42359dfc8ea4f41ef9629b4c9f8584a23ef62c13aba2b"}`
	runHandshakes(t, []handshakeCase{
		{"golden", Config{Mode: Preset, Preset: "zoom", Secrets: []string{hsSecret}}, sign(hsSecret), true, nil, "application/json", want},
		{"previous secret answers with itself", Config{Mode: Preset, Preset: "zoom", Secrets: []string{"new-one", hsSecret}}, sign(hsSecret), true, nil, "application/json", want},
		{"expiring secret answers with itself", Config{Mode: Preset, Preset: "zoom", Secrets: []string{"new-one"},
			Expiring: []ExpiringSecret{{Secret: hsSecret, Until: hsNow.Add(time.Minute)}}}, sign(hsSecret), true, nil, "application/json", want},
		{"expiring secret past its deadline", Config{Mode: Preset, Preset: "zoom", Secrets: []string{"new-one"},
			Expiring: []ExpiringSecret{{Secret: hsSecret, Until: hsNow}}}, sign(hsSecret), true, ErrInvalidSignature, "", ""},
		{"unsigned", Config{Mode: Preset, Preset: "zoom", Secrets: []string{hsSecret}}, post(body), true, ErrMissingSignature, "", ""},
		{"event", Config{Mode: Preset, Preset: "zoom", Secrets: []string{hsSecret}}, post(`{"event":"meeting.started"}`), false, nil, "", ""},
	})
}

func TestHandshakeMeta(t *testing.T) {
	t.Parallel()
	get := func(q string) Request {
		return Request{Method: "GET", URL: "https://example.com/in/tok?" + q, Header: http.Header{}}
	}
	ok := get("hub.mode=subscribe&hub.verify_token=my-token&hub.challenge=1158201444")
	cfg := Config{Mode: Preset, Preset: "whatsapp", Secrets: []string{"app-secret"}, VerifyToken: "my-token"}
	runHandshakes(t, []handshakeCase{
		{"subscribe", cfg, ok, true, nil, "text/plain; charset=utf-8", "1158201444"},
		{"meta preset", Config{Mode: Preset, Preset: "meta", Secrets: []string{"app-secret"}, VerifyToken: "my-token"}, ok, true, nil, "text/plain; charset=utf-8", "1158201444"},
		{"token defaults to secret", Config{Mode: Preset, Preset: "meta", Secrets: []string{"my-token"}}, ok, true, nil, "text/plain; charset=utf-8", "1158201444"},
		{"wrong token", cfg, get("hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1"), true, ErrInvalidVerifyToken, "", ""},
		{"no token", cfg, get("hub.mode=subscribe&hub.challenge=1"), true, ErrInvalidVerifyToken, "", ""},
		{"other mode", cfg, get("hub.mode=unsubscribe&hub.verify_token=my-token"), false, nil, "", ""},
		{"post", cfg, post(`{"object":"whatsapp_business_account"}`), false, nil, "", ""},
		{"not for github", Config{Mode: Preset, Preset: "github", Secrets: []string{"my-token"}}, ok, false, nil, "", ""},
	})
}

func TestHandshakeWooCommerce(t *testing.T) {
	t.Parallel()
	cfg := Config{Mode: Preset, Preset: "woocommerce", Secrets: []string{hsSecret}}
	runHandshakes(t, []handshakeCase{
		{"ping", cfg, post("webhook_id=17", "Content-Type", "application/x-www-form-urlencoded"), true, nil, "text/plain; charset=utf-8", ""},
		{"signed request", cfg, post("webhook_id=17", "X-WC-Webhook-Signature", "abc"), false, nil, "", ""},
		{"other body", cfg, post(`{"id":17}`), false, nil, "", ""},
		{"extra fields", cfg, post("webhook_id=17&x=1"), false, nil, "", ""},
	})
}
