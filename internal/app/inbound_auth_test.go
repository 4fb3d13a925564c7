package app

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

var sha256New = sha256.New

func hmacHex(h func() hash.Hash, key []byte, msg string) string {
	m := hmac.New(h, key)
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}

func hmacB64(h func() hash.Hash, key []byte, msg string) string {
	m := hmac.New(h, key)
	m.Write([]byte(msg))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// Each native mode and a preset, signed the way the provider signs (the
// exact schemes of providers.md), through the real endpoint: a correct
// signature is accepted, a tampered body and a stale timestamp are refused
// with the reason.
func TestInboundProviderSchemes(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	now := time.Now().Unix()
	ts := strconv.FormatInt(now, 10)
	stale := strconv.FormatInt(now-3600, 10)
	const body = `{"id":"evt_1","object":"event","n":1}`
	svixKey := []byte("0123456789abcdef0123456789abcdef")
	svixSecret := "whsec_" + base64.StdEncoding.EncodeToString(svixKey)
	type signer func(ts, body string) map[string]string
	cases := []struct {
		name   string
		auth   map[string]any
		sign   signer
		secret string
	}{
		{"stripe", map[string]any{"mode": "STRIPE", "secret": "whsec_test_secret"}, func(ts, b string) map[string]string {
			return map[string]string{"Stripe-Signature": "t=" + ts + ",v1=" + strings.Repeat("0", 64) + ",v1=" +
				hmacHex(sha256.New, []byte("whsec_test_secret"), ts+"."+b)}
		}, ""},
		{"slack", map[string]any{"mode": "SLACK", "secret": "e6b19c573432dcc6b075501d51b51bb8"}, func(ts, b string) map[string]string {
			return map[string]string{"X-Slack-Request-Timestamp": ts,
				"X-Slack-Signature": "v0=" + hmacHex(sha256.New, []byte("e6b19c573432dcc6b075501d51b51bb8"), "v0:"+ts+":"+b)}
		}, ""},
		{"svix", map[string]any{"mode": "SVIX", "secret": svixSecret}, func(ts, b string) map[string]string {
			return map[string]string{"svix-id": "msg_" + ts, "svix-timestamp": ts,
				"svix-signature": "v1,AAAA v1," + hmacB64(sha256.New, svixKey, "msg_"+ts+"."+ts+"."+b)}
		}, ""},
		{"paddle", map[string]any{"mode": "PADDLE", "secret": "pdl_ntfset_01hsdn8d43dt7mezr1ef2jtbaw_x", "toleranceSeconds": 5}, func(ts, b string) map[string]string {
			return map[string]string{"Paddle-Signature": "ts=" + ts + ";h1=" + hmacHex(sha256.New, []byte("pdl_ntfset_01hsdn8d43dt7mezr1ef2jtbaw_x"), ts+":"+b)}
		}, ""},
		{"revolut", map[string]any{"mode": "REVOLUT", "secret": "wsk_r59a4HfWVAKycbCaNO1RvgCJec02gRd8"}, func(ts, b string) map[string]string {
			ms := ts + "000"
			return map[string]string{"Revolut-Request-Timestamp": ms,
				"Revolut-Signature": "v1=" + hmacHex(sha256.New, []byte("wsk_r59a4HfWVAKycbCaNO1RvgCJec02gRd8"), "v1."+ms+"."+b)}
		}, ""},
		{"generic", map[string]any{"mode": "GENERIC_HMAC", "secret": "s3cret", "hmac": map[string]any{
			"header": "X-Sig-512", "algorithm": "SHA512", "encoding": "BASE64", "prefix": "sha512=",
			"timestampHeader": "X-Ts", "signedPayload": "{timestamp}.{body}"}}, func(ts, b string) map[string]string {
			return map[string]string{"X-Ts": ts, "X-Sig-512": "sha512=" + hmacB64(sha512.New, []byte("s3cret"), ts+"."+b)}
		}, ""},
		{"github preset", map[string]any{"mode": "PRESET", "preset": "github", "secret": "gh-secret"}, func(_, b string) map[string]string {
			return map[string]string{"X-Hub-Signature-256": "sha256=" + hmacHex(sha256.New, []byte("gh-secret"), b),
				"X-GitHub-Delivery": "d-" + strconv.Itoa(len(b))}
		}, ""},
	}
	for _, tc := range cases {
		h := ta.createIn(t, ta.key, map[string]any{"name": tc.name, "auth": tc.auth})
		post := func(hdr map[string]string, b string) reply {
			return ta.send(t, http.MethodPost, h.path, "application/json", []byte(b), hdr)
		}
		if r := post(tc.sign(ts, body), body); r.status != 202 {
			t.Errorf("%s: valid signature: %d %s", tc.name, r.status, r.body)
		}
		if r := post(tc.sign(ts, body), body+" "); r.status != 401 || errorCode(t, r.body) != "invalid_signature" {
			t.Errorf("%s: tampered body: %d %s", tc.name, r.status, r.body)
		}
		if r := post(nil, body); r.status != 401 || !strings.HasPrefix(errorCode(t, r.body), "missing_") {
			t.Errorf("%s: unsigned: %d %s", tc.name, r.status, r.body)
		}
		if tc.name == "github preset" {
			continue // GitHub signs no timestamp
		}
		for _, when := range []string{stale, strconv.FormatInt(now+3600, 10)} {
			if r := post(tc.sign(when, body), body); r.status != 401 || errorCode(t, r.body) != "timestamp_outside_tolerance" {
				t.Errorf("%s: timestamp %s: %d %s", tc.name, when, r.status, r.body)
			}
		}
	}
}

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

// After a rotation the previous shared secret keeps working for graceSeconds;
// with no grace it stops at once.
func TestInboundRotationGrace(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	h := ta.createIn(t, ta.key, map[string]any{})
	rotate := `mutation($id: ID!, $g: Int) { rotateWebhookSecret(id: $id, graceSeconds: $g) { secret } }`
	next := str(ta.ok(t, ta.key, rotate, map[string]any{"id": h.id, "g": 3600}), "rotateWebhookSecret.secret")
	for _, s := range []string{h.secret, next} {
		if r := ta.postJSON(t, inHook{path: h.path, secret: s}, `{}`, nil); r.status != 202 {
			t.Fatalf("secret %q during grace: %d %s", s[len(s)-4:], r.status, r.body)
		}
	}
	last := str(ta.ok(t, ta.key, rotate, map[string]any{"id": h.id, "g": 0}), "rotateWebhookSecret.secret")
	if r := ta.postJSON(t, inHook{path: h.path, secret: next}, `{}`, nil); r.status != 401 {
		t.Fatalf("the previous secret still works with no grace: %d", r.status)
	}
	r := ta.send(t, http.MethodPost, h.path, "application/json", []byte(`{}`), map[string]string{"Authorization": "Bearer " + last})
	if r.status != 202 {
		t.Fatalf("bearer secret: %d %s", r.status, r.body)
	}
	// The webhook is cached by now: a pause still takes effect at once.
	ta.ok(t, ta.key, `mutation($id: ID!) { setWebhookStatus(id: $id, status: PAUSED) { id } }`, map[string]any{"id": h.id})
	if r := ta.postJSON(t, inHook{path: h.path, secret: last}, `{}`, nil); r.status != 503 {
		t.Fatalf("after pausing a cached webhook: %d %s", r.status, r.body)
	}
}
