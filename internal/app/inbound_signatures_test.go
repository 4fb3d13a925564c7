package app

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

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
