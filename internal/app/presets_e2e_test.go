package app

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wexio/webhooks/internal/verify"
)

// Every preset of the registry, end to end: created through GraphQL with the
// secret the provider hands out, then called through POST /in/{token} with a
// request signed the provider's way (providers.md §8-§9), computed here
// independently of the verify package. A fresh request is accepted, a
// tampered one refused, and where the scheme is timestamped a stale or
// future timestamp is refused with timestamp_outside_tolerance.

// peReq is one request as a provider sends it.
type peReq struct {
	query       string // "?..." after /in/{token}
	contentType string
	body        string
	header      map[string]string
}

// peIn is what a signer signs: the URL the provider called (PublicURL + path
// + query), the event body, a delivery id and the send time.
type peIn struct {
	url, body, id string
	ts            time.Time
}

// peSigner builds the signed request; it may replace the body (Linear,
// Mailgun and Twilio carry their own).
type peSigner func(in peIn) peReq

// peCase is one preset's end-to-end case.
type peCase struct {
	key, secret string // preset key; what the user pastes
	sign        peSigner
	query       string // for URL-bound schemes
	// timestamped: a stale and a future send time are refused.
	timestamped bool
	// tamper changes what the signature covers; nil changes the body.
	tamper func(peReq) peReq
}

// peMarker is a value in every event body; tampering rewrites it.
const peMarker = "original"

func peBody(id string) string {
	return fmt.Sprintf(`{"id":%q,"note":%q,"amount":4200,"text":"héllo \u2603"}`, id, peMarker)
}

func peRand(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

func peMAC(h func() hash.Hash, key []byte, b64 bool, parts ...string) string {
	if b64 {
		return hmacB64(h, key, strings.Join(parts, ""))
	}
	return hmacHex(h, key, strings.Join(parts, ""))
}

func jsonReq(body string, header ...string) peReq {
	r := peReq{contentType: "application/json", body: body, header: map[string]string{}}
	for i := 0; i+1 < len(header); i += 2 {
		r.header[header[i]] = header[i+1]
	}
	return r
}

// --- one signer per family ---------------------------------------------

// bodySigner: F1, F1s, F2 — HMAC of the raw body in one header.
func bodySigner(secret string, h func() hash.Hash, b64 bool, prefix, header string) peSigner {
	return func(in peIn) peReq {
		return jsonReq(in.body, header, prefix+peMAC(h, []byte(secret), b64, in.body))
	}
}

// stripeSigner: "t=<s>,v1=<hex HMAC of t.body>" (Stripe, Calendly).
func stripeSigner(secret, header string) peSigner {
	return func(in peIn) peReq {
		ts := fmt.Sprint(in.ts.Unix())
		return jsonReq(in.body, header, "t="+ts+",v1="+peMAC(sha256.New, []byte(secret), false, ts, ".", in.body))
	}
}

// v0Signer: "v0=<hex HMAC of v0:ts:body>" with the timestamp in its own header (Slack, Zoom).
func v0Signer(secret, sigHeader, tsHeader string) peSigner {
	return func(in peIn) peReq {
		ts := fmt.Sprint(in.ts.Unix())
		return jsonReq(in.body, tsHeader, ts, sigHeader, "v0="+peMAC(sha256.New, []byte(secret), false, "v0:", ts, ":", in.body))
	}
}

// svixSigner: Standard Webhooks, "v1,<b64 HMAC of id.ts.body>" keyed by the
// base64 key after whsec_; headers prefixed "svix-" or "webhook-".
func svixSigner(key []byte, headerPrefix string) peSigner {
	return func(in peIn) peReq {
		ts := fmt.Sprint(in.ts.Unix())
		return jsonReq(in.body, headerPrefix+"id", in.id, headerPrefix+"timestamp", ts,
			headerPrefix+"signature", "v1,"+peMAC(sha256.New, key, true, in.id, ".", ts, ".", in.body))
	}
}

func paddleSigner(secret string) peSigner {
	return func(in peIn) peReq {
		ts := fmt.Sprint(in.ts.Unix())
		return jsonReq(in.body, "Paddle-Signature", "ts="+ts+";h1="+peMAC(sha256.New, []byte(secret), false, ts, ":", in.body))
	}
}

func revolutSigner(secret string) peSigner {
	return func(in peIn) peReq {
		ms := fmt.Sprint(in.ts.UnixMilli())
		return jsonReq(in.body, "Revolut-Request-Timestamp", ms,
			"Revolut-Signature", "v1="+peMAC(sha256.New, []byte(secret), false, "v1.", ms, ".", in.body))
	}
}

func webflowSigner(secret string) peSigner {
	return func(in peIn) peReq {
		ms := fmt.Sprint(in.ts.UnixMilli())
		return jsonReq(in.body, "x-webflow-timestamp", ms, "x-webflow-signature", peMAC(sha256.New, []byte(secret), false, ms, ":", in.body))
	}
}

func recurlySigner(secret string) peSigner {
	return func(in peIn) peReq {
		ms := fmt.Sprint(in.ts.UnixMilli())
		return jsonReq(in.body, "recurly-signature", ms+","+peMAC(sha256.New, []byte(secret), false, ms, ".", in.body))
	}
}

func zendeskSigner(secret string) peSigner {
	return func(in peIn) peReq {
		iso := in.ts.UTC().Format(time.RFC3339)
		return jsonReq(in.body, "X-Zendesk-Webhook-Signature-Timestamp", iso,
			"X-Zendesk-Webhook-Signature", peMAC(sha256.New, []byte(secret), true, iso, in.body))
	}
}

// twitchSigner signs id + RFC 3339 timestamp + body; msgType is the
// Twitch-Eventsub-Message-Type.
func twitchSigner(secret, msgType string) peSigner {
	return func(in peIn) peReq {
		ts := in.ts.UTC().Format(time.RFC3339Nano)
		return jsonReq(in.body, "Twitch-Eventsub-Message-Id", in.id, "Twitch-Eventsub-Message-Timestamp", ts,
			"Twitch-Eventsub-Message-Type", msgType,
			"Twitch-Eventsub-Message-Signature", "sha256="+peMAC(sha256.New, []byte(secret), false, in.id, ts, in.body))
	}
}

// linearSigner: the timestamp is webhookTimestamp (ms) in the body, which is
// signed whole.
func linearSigner(secret string) peSigner {
	return func(in peIn) peReq {
		body := fmt.Sprintf(`{"action":"create","note":%q,"webhookTimestamp":%d}`, peMarker, in.ts.UnixMilli())
		return jsonReq(body, "Linear-Signature", peMAC(sha256.New, []byte(secret), false, body))
	}
}

// squareSigner: base64 HMAC-SHA256 of the notification URL + body.
func squareSigner(secret string) peSigner {
	return func(in peIn) peReq {
		return jsonReq(in.body, "x-square-hmacsha256-signature", peMAC(sha256.New, []byte(secret), true, in.url, in.body))
	}
}

// hubspotSigner: v3, base64 HMAC-SHA256 of method + URL + body + timestamp (ms).
func hubspotSigner(secret string) peSigner {
	return func(in peIn) peReq {
		ms := fmt.Sprint(in.ts.UnixMilli())
		return jsonReq(in.body, "X-HubSpot-Request-Timestamp", ms,
			"X-HubSpot-Signature-v3", peMAC(sha256.New, []byte(secret), true, http.MethodPost, in.url, in.body, ms))
	}
}

// twilioSigner posts a form and signs, as twilio-node does, the URL then
// every parameter sorted by name as name+value.
func twilioSigner(secret string) peSigner {
	return func(in peIn) peReq {
		form := url.Values{"AccountSid": {"AC" + hex.EncodeToString(peRand(16))}, "From": {"+14158675309"},
			"To": {"+18005551212"}, "Body": {peMarker + " message"}, "MediaUrl": {"b", "a", "b"}}
		var b strings.Builder
		b.WriteString(in.url)
		for _, k := range slices.Sorted(maps.Keys(form)) {
			for _, v := range slices.Compact(slices.Sorted(slices.Values(form[k]))) {
				b.WriteString(k + v)
			}
		}
		return peReq{contentType: "application/x-www-form-urlencoded", body: form.Encode(),
			header: map[string]string{"X-Twilio-Signature": peMAC(sha1.New, []byte(secret), true, b.String())}}
	}
}

// twilioJSONSigner: a JSON body is bound by bodySHA256=<hex sha256> in the
// query, and the URL alone is signed.
func twilioJSONSigner(secret string) peSigner {
	return func(in peIn) peReq {
		sum := sha256.Sum256([]byte(in.body))
		u := in.url + "&bodySHA256=" + hex.EncodeToString(sum[:])
		r := jsonReq(in.body, "X-Twilio-Signature", peMAC(sha1.New, []byte(secret), true, u))
		r.query = "&bodySHA256=" + hex.EncodeToString(sum[:])
		return r
	}
}

// mailgunSigner puts {timestamp, token, signature} in the body; the
// signature is hex HMAC-SHA256 of timestamp + token. The token is the id.
func mailgunSigner(secret string) peSigner {
	return func(in peIn) peReq {
		ts := fmt.Sprint(in.ts.Unix())
		sig := peMAC(sha256.New, []byte(secret), false, ts, in.id)
		body := fmt.Sprintf(`{"signature":{"timestamp":%q,"token":%q,"signature":%q},"event-data":{"event":"delivered","note":%q}}`,
			ts, in.id, sig, peMarker)
		return jsonReq(body)
	}
}

// discordSigner: hex Ed25519 signature of timestamp + body.
func discordSigner(priv ed25519.PrivateKey) peSigner {
	return func(in peIn) peReq {
		ts := fmt.Sprint(in.ts.Unix())
		return jsonReq(in.body, "X-Signature-Timestamp", ts,
			"X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(priv, []byte(ts+in.body))))
	}
}

// sendgridSigner: base64 DER ECDSA P-256 signature of SHA-256(timestamp + body).
func sendgridSigner(key *ecdsa.PrivateKey) peSigner {
	return func(in peIn) peReq {
		ts := fmt.Sprint(in.ts.Unix())
		digest := sha256.Sum256([]byte(ts + in.body))
		sig, err := ecdsa.SignASN1(rand.Reader, key, digest[:])
		if err != nil {
			panic(err)
		}
		return jsonReq(in.body, "X-Twilio-Email-Event-Webhook-Timestamp", ts,
			"X-Twilio-Email-Event-Webhook-Signature", base64.StdEncoding.EncodeToString(sig))
	}
}

// tokenSigner: the secret itself in a header (F8).
func tokenSigner(secret, header string) peSigner {
	return func(in peIn) peReq { return jsonReq(in.body, header, secret) }
}

// basicSigner: Authorization: Basic base64(username:password) (F9).
func basicSigner(cred string) peSigner {
	return func(in peIn) peReq {
		return jsonReq(in.body, "Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(cred)))
	}
}

// wrongHeader replaces a credential header's value: for schemes that sign
// nothing (tokens, Basic auth), "tampering" is a wrong credential.
func wrongHeader(header, value string) func(peReq) peReq {
	return func(r peReq) peReq {
		r.header = maps.Clone(r.header)
		r.header[header] = value
		return r
	}
}

// --- the table -----------------------------------------------------------

// presetCases returns one or more cases per preset, with fresh secrets.
func presetCases() []peCase {
	secret := func(prefix string) string { return prefix + hex.EncodeToString(peRand(16)) }
	var cases []peCase
	add := func(key, s string, sign peSigner, timestamped bool) {
		cases = append(cases, peCase{key: key, secret: s, sign: sign, timestamped: timestamped})
	}
	body := func(key string, h func() hash.Hash, b64 bool, prefix, header string) {
		s := secret("")
		add(key, s, bodySigner(s, h, b64, prefix, header), false)
	}
	// F1: HMAC-SHA256, hex.
	body("github", sha256.New, false, "sha256=", "X-Hub-Signature-256")
	body("meta", sha256.New, false, "sha256=", "X-Hub-Signature-256")
	body("whatsapp", sha256.New, false, "sha256=", "X-Hub-Signature-256")
	body("bitbucket", sha256.New, false, "sha256=", "X-Hub-Signature")
	body("bitbucket-server", sha256.New, false, "sha256=", "X-Hub-Signature")
	body("jira", sha256.New, false, "sha256=", "X-Hub-Signature")
	body("lemonsqueezy", sha256.New, false, "", "X-Signature")
	body("razorpay", sha256.New, false, "", "X-Razorpay-Signature")
	body("sentry", sha256.New, false, "", "Sentry-Hook-Signature")
	body("mollie", sha256.New, false, "sha256=", "X-Mollie-Signature")
	// F1s: HMAC-SHA1, hex.
	body("github-legacy", sha1.New, false, "sha1=", "X-Hub-Signature")
	body("intercom", sha1.New, false, "sha1=", "X-Hub-Signature")
	body("vercel", sha1.New, false, "", "x-vercel-signature")
	// F2: HMAC-SHA256, base64.
	body("shopify", sha256.New, true, "", "X-Shopify-Hmac-Sha256")
	body("woocommerce", sha256.New, true, "", "X-WC-Webhook-Signature")
	body("typeform", sha256.New, true, "sha256=", "Typeform-Signature")

	// F1 with the timestamp in the body.
	s := secret("lin_wh_")
	add("linear", s, linearSigner(s), true)

	// F3: timestamped.
	s = "whsec_" + hex.EncodeToString(peRand(16))
	add("stripe", s, stripeSigner(s, "Stripe-Signature"), true)
	s = secret("")
	add("calendly", s, stripeSigner(s, "Calendly-Webhook-Signature"), true)
	s = secret("")
	add("slack", s, v0Signer(s, "X-Slack-Signature", "X-Slack-Request-Timestamp"), true)
	s = secret("")
	add("zoom", s, v0Signer(s, "x-zm-signature", "x-zm-request-timestamp"), true)
	s = secret("pdl_ntfset_")
	add("paddle", s, paddleSigner(s), true)
	s = secret("")
	add("webflow", s, webflowSigner(s), true)
	s = secret("wsk_")
	add("revolut", s, revolutSigner(s), true)
	s = secret("")
	add("recurly", s, recurlySigner(s), true)
	s = secret("")
	add("zendesk", s, zendeskSigner(s), true)
	s = secret("")
	add("twitch", s, twitchSigner(s, "notification"), true)

	// F4: Standard Webhooks / Svix; the secret is whsec_ + base64 key.
	for key, prefix := range map[string]string{"svix": "svix-", "standard-webhooks": "webhook-", "clerk": "svix-",
		"resend": "svix-", "gitlab-signing": "webhook-"} {
		k := peRand(32)
		add(key, "whsec_"+base64.StdEncoding.EncodeToString(k), svixSigner(k, prefix), true)
	}

	// F5: URL-bound, over PublicURL + path + query.
	const query = "?src=e2e&q=a%20b%2Cc"
	s = secret("")
	cases = append(cases, peCase{key: "square", secret: s, sign: squareSigner(s), query: query})
	s = secret("")
	cases = append(cases, peCase{key: "hubspot", secret: s, sign: hubspotSigner(s), query: query, timestamped: true})
	s = secret("")
	cases = append(cases, peCase{key: "twilio", secret: s, sign: twilioSigner(s), query: query})
	s = secret("")
	cases = append(cases, peCase{key: "twilio", secret: s, sign: twilioJSONSigner(s), query: query})

	// F6: the signature in the body; it covers timestamp + token only, so
	// tampering changes the token.
	s = secret("key-")
	cases = append(cases, peCase{key: "mailgun", secret: s, sign: mailgunSigner(s), timestamped: true,
		tamper: func(r peReq) peReq {
			r.body = strings.Replace(r.body, `"token":"`, `"token":"x`, 1)
			return r
		}})

	// F7: public keys; the secret is the provider's public key.
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	add("discord", hex.EncodeToString(pub), discordSigner(priv), true)
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.MarshalPKIXPublicKey(&ec.PublicKey)
	add("sendgrid", base64.StdEncoding.EncodeToString(der), sendgridSigner(ec), true)

	// F8: a static token; F9: Basic auth. Nothing is signed: the "tampered"
	// request carries a wrong credential.
	for key, header := range map[string]string{"gitlab": "X-Gitlab-Token", "telegram": "X-Telegram-Bot-Api-Secret-Token",
		"xendit": "x-callback-token"} {
		s := secret("tok_")
		cases = append(cases, peCase{key: key, secret: s, sign: tokenSigner(s, header), tamper: wrongHeader(header, s+"x")})
	}
	for _, key := range []string{"basic-auth", "chargebee", "pipedrive", "postmark"} {
		cred := "user_" + hex.EncodeToString(peRand(3)) + ":" + hex.EncodeToString(peRand(8)) + ":with:colons"
		wrong := "Basic " + base64.StdEncoding.EncodeToString([]byte(cred+"x"))
		cases = append(cases, peCase{key: key, secret: cred, sign: basicSigner(cred), tamper: wrongHeader("Authorization", wrong)})
	}
	return cases
}

// peExcluded lists the presets that cannot be signed end to end, with why.
// Every preset is signable today.
var peExcluded = map[string]string{}

// peCreate creates an inbound webhook for preset key with secret.
func (ta *testApp) peCreate(t *testing.T, key, secret string, extra map[string]any) inHook {
	t.Helper()
	auth := map[string]any{"mode": "PRESET", "preset": key, "secret": secret}
	maps.Copy(auth, extra)
	return ta.createIn(t, ta.key, map[string]any{"name": "preset " + key, "auth": auth})
}

// peSend sends r to h, the query of the case first then the signer's own.
func (ta *testApp) peSend(t *testing.T, h inHook, query string, r peReq) reply {
	t.Helper()
	return ta.send(t, http.MethodPost, h.path+query+r.query, r.contentType, []byte(r.body), r.header)
}

func (ta *testApp) peIn(h inHook, query, body, id string, ts time.Time) peIn {
	return peIn{url: ta.cfg.PublicURL + h.path + query, body: body, id: id, ts: ts}
}

func peID(prefix string) string { return prefix + hex.EncodeToString(peRand(8)) }

func TestPresetsEndToEnd(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	cases := presetCases()

	covered := map[string]bool{}
	for _, c := range cases {
		covered[c.key] = true
	}
	for _, p := range verify.Presets() {
		if !covered[p.Key] && peExcluded[p.Key] == "" {
			t.Errorf("preset %q has no end-to-end case", p.Key)
		}
		delete(covered, p.Key)
	}
	for key := range covered {
		t.Errorf("case for %q, which is not in the registry", key)
	}

	for i, c := range cases {
		t.Run(fmt.Sprintf("%s#%d", c.key, i), func(t *testing.T) {
			t.Parallel()
			h := ta.peCreate(t, c.key, c.secret, nil)
			now := time.Now()
			signed := func(ts time.Time) peReq {
				return c.sign(ta.peIn(h, c.query, peBody(peID("evt_")), peID("msg_"), ts))
			}
			fresh := signed(now)
			if r := ta.peSend(t, h, c.query, fresh); r.status != http.StatusAccepted {
				t.Fatalf("fresh signature: %d %s", r.status, r.body)
			}
			tampered := signed(now)
			if c.tamper != nil {
				tampered = c.tamper(tampered)
			} else if strings.Contains(tampered.body, peMarker) {
				tampered.body = strings.Replace(tampered.body, peMarker, "tampered", 1)
			} else {
				t.Fatalf("no marker to tamper with in %s", tampered.body)
			}
			if r := ta.peSend(t, h, c.query, tampered); r.status != http.StatusUnauthorized || errorCode(t, r.body) != "invalid_signature" {
				t.Errorf("tampered: %d %s", r.status, r.body)
			}
			unsigned := jsonReq(peBody(peID("evt_")))
			if r := ta.peSend(t, h, c.query, unsigned); r.status != http.StatusUnauthorized || !strings.HasPrefix(errorCode(t, r.body), "missing_") {
				t.Errorf("unsigned: %d %s", r.status, r.body)
			}
			wantLogs := 3
			if c.timestamped {
				for _, off := range []time.Duration{-time.Hour, time.Hour} {
					r := ta.peSend(t, h, c.query, signed(now.Add(off)))
					if r.status != http.StatusUnauthorized || errorCode(t, r.body) != "timestamp_outside_tolerance" {
						t.Errorf("timestamp %v away: %d %s", off, r.status, r.body)
					}
				}
				wantLogs += 2
			}
			logs := ta.logs(t, ta.key, h.id)
			if len(logs) != wantLogs || str(logs[len(logs)-1], "outcome") != "ACCEPTED" || str(logs[0], "outcome") != "REJECTED" {
				t.Errorf("logs: %d rows, want %d: %v", len(logs), wantLogs, logs)
			}
		})
	}
}

// The presets' handshakes not covered by inbound_auth_test.go (Slack, Meta),
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

// peWantOutcomes checks the webhook's log outcomes, newest first.
func peWantOutcomes(t *testing.T, ta *testApp, h inHook, want ...string) {
	t.Helper()
	var got []string
	for _, l := range ta.logs(t, ta.key, h.id) {
		got = append(got, str(l, "outcome"))
	}
	if !slices.Equal(got, want) {
		t.Fatalf("log outcomes %v, want %v", got, want)
	}
}

// A provider's own delivery or event id deduplicates like an idempotency
// key: the repeat gets the first answer with Idempotent-Replayed: true and is
// logged DUPLICATE; another id is a new delivery.
func TestPresetNativeDeliveryIDsEndToEnd(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	byKey := map[string]peCase{}
	for _, c := range presetCases() {
		if _, ok := byKey[c.key]; !ok {
			byKey[c.key] = c
		}
	}
	// Where the id travels: a header, a JSON field, or (header and json
	// empty) inside what the signer signs (svix-id, webhook-id, Twitch's
	// message id, Mailgun's token).
	rows := []struct{ key, header, json string }{
		{"svix", "", ""},
		{"standard-webhooks", "", ""},
		{"clerk", "", ""},
		{"gitlab-signing", "", ""},
		{"twitch", "", ""},
		{"mailgun", "", ""},
		{"stripe", "", "id"},
		{"slack", "", "event_id"},
		{"paddle", "", "notification_id"},
		{"square", "", "event_id"},
		{"shopify", "X-Shopify-Webhook-Id", ""},
		{"github-legacy", "X-GitHub-Delivery", ""},
		{"jira", "X-Atlassian-Webhook-Identifier", ""},
		{"razorpay", "X-Razorpay-Event-Id", ""},
		{"linear", "Linear-Delivery", ""},
		{"woocommerce", "X-WC-Webhook-Delivery-ID", ""},
	}
	for _, row := range rows {
		t.Run(row.key, func(t *testing.T) {
			t.Parallel()
			c := byKey[row.key]
			h := ta.peCreate(t, c.key, c.secret, nil)
			deliver := func(id string) reply {
				body := peBody("evt_other")
				if row.json != "" {
					body = fmt.Sprintf(`{%q:%q,"note":"x"}`, row.json, id)
				}
				r := c.sign(ta.peIn(h, c.query, body, id, time.Now()))
				if row.header != "" {
					r.header[row.header] = id
				}
				return ta.peSend(t, h, c.query, r)
			}
			id := peID("dlv_")
			first, again := deliver(id), deliver(id)
			if first.status != 202 || again.status != 202 || again.body != first.body ||
				first.header.Get("Idempotent-Replayed") != "" || again.header.Get("Idempotent-Replayed") != "true" {
				t.Fatalf("first %d %s %v; again %d %s %v", first.status, first.body, first.header, again.status, again.body, again.header)
			}
			if other := deliver(peID("dlv_")); other.status != 202 || other.header.Get("Idempotent-Replayed") != "" || other.body == first.body {
				t.Fatalf("another id: %d %s %v", other.status, other.body, other.header)
			}
			logs := ta.logs(t, ta.key, h.id)
			if len(logs) != 3 || str(logs[1], "outcome") != "DUPLICATE" || str(logs[1], "idempotencyKey") != id ||
				str(logs[2], "outcome") != "ACCEPTED" || str(logs[0], "outcome") != "ACCEPTED" {
				t.Fatalf("logs %v", logs)
			}
		})
	}
}

// Presets through the API: an unknown key is BAD_USER_INPUT, and authPresets
// lists the whole registry.
func TestPresetKeysThroughAPI(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	for _, key := range []string{"nope", "github2", ""} {
		r := ta.gql(t, ta.key, createInbound, map[string]any{"in": map[string]any{"name": "x",
			"auth": map[string]any{"mode": "PRESET", "preset": key, "secret": "s"}}})
		if r.code() != "BAD_USER_INPUT" || get(r.Data, "createInboundWebhook") != nil {
			t.Errorf("preset %q: %s", key, r.Raw)
		}
	}
	list, _ := get(ta.ok(t, ta.key, `{ authPresets { key hmac { prefix timestampHeader } } }`, nil), "authPresets").([]any)
	if len(list) != len(verify.Presets()) || len(list) < 30 {
		t.Fatalf("authPresets lists %d presets, the registry %d", len(list), len(verify.Presets()))
	}
	// Parameters a scheme does not have are null, not "".
	byKey := map[string]any{}
	for _, p := range list {
		byKey[str(p, "key")] = p
	}
	if gh := byKey["github"]; str(gh, "hmac.prefix") != "sha256=" || get(gh, "hmac.timestampHeader") != nil {
		t.Errorf("github preset %v: want prefix sha256= and a null timestampHeader", gh)
	}
}
