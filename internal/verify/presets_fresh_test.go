package verify

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
	"fmt"
	"hash"
	"maps"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestFreshBodyPresets(t *testing.T) {
	t.Parallel()
	rows := []struct {
		key, header, prefix string
		h                   func() hash.Hash
		b64                 bool
	}{
		{"github", "X-Hub-Signature-256", "sha256=", sha256.New, false},
		{"github-legacy", "X-Hub-Signature", "sha1=", sha1.New, false},
		{"meta", "X-Hub-Signature-256", "sha256=", sha256.New, false},
		{"whatsapp", "X-Hub-Signature-256", "sha256=", sha256.New, false},
		{"bitbucket", "X-Hub-Signature", "sha256=", sha256.New, false},
		{"bitbucket-server", "X-Hub-Signature", "sha256=", sha256.New, false},
		{"jira", "X-Hub-Signature", "sha256=", sha256.New, false},
		{"lemonsqueezy", "X-Signature", "", sha256.New, false},
		{"razorpay", "X-Razorpay-Signature", "", sha256.New, false},
		{"sentry", "Sentry-Hook-Signature", "", sha256.New, false},
		{"mollie", "X-Mollie-Signature", "sha256=", sha256.New, false},
		{"intercom", "X-Hub-Signature", "sha1=", sha1.New, false},
		{"vercel", "x-vercel-signature", "", sha1.New, false},
		{"shopify", "X-Shopify-Hmac-Sha256", "", sha256.New, true},
		{"woocommerce", "X-WC-Webhook-Signature", "", sha256.New, true},
		{"typeform", "Typeform-Signature", "sha256=", sha256.New, true},
	}
	for _, row := range rows {
		t.Run(row.key, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			sig := hexMAC(row.h, f.secret, f.body)
			if row.b64 {
				sig = b64MAC(row.h, f.secret, f.body)
			}
			r := f.request(row.header, row.prefix+sig)
			f.accepts(t, Config{Mode: Preset, Preset: row.key, Secrets: []string{"old-" + f.secret, f.secret}}, r, true)
		})
	}
}

func TestFreshTimestampedPresets(t *testing.T) {
	t.Parallel()
	type signer func(f fixture, ts time.Time) Request
	rows := map[string]signer{
		"calendly": func(f fixture, ts time.Time) Request {
			return f.request("Calendly-Webhook-Signature", signStripe(f.secret, ts.Unix(), f.body))
		},
		"zoom": func(f fixture, ts time.Time) Request {
			return f.request("x-zm-signature", signSlack(f.secret, ts.Unix(), f.body), "x-zm-request-timestamp", fmt.Sprint(ts.Unix()))
		},
		"webflow": func(f fixture, ts time.Time) Request {
			ms := fmt.Sprint(ts.UnixMilli())
			return f.request("x-webflow-signature", hexMAC(sha256.New, f.secret, ms+":"+f.body), "x-webflow-timestamp", ms)
		},
		"recurly": func(f fixture, ts time.Time) Request {
			ms := fmt.Sprint(ts.UnixMilli())
			return f.request("recurly-signature", ms+","+hexMAC(sha256.New, "older", ms+"."+f.body)+","+hexMAC(sha256.New, f.secret, ms+"."+f.body))
		},
		"zendesk": func(f fixture, ts time.Time) Request {
			iso := ts.UTC().Format(time.RFC3339)
			return f.request("X-Zendesk-Webhook-Signature", b64MAC(sha256.New, f.secret, iso+f.body), "X-Zendesk-Webhook-Signature-Timestamp", iso)
		},
		"twitch": func(f fixture, ts time.Time) Request {
			id, rfc := f.word(16), ts.UTC().Format(time.RFC3339Nano)
			return f.request("Twitch-Eventsub-Message-Signature", "sha256="+hexMAC(sha256.New, f.secret, id+rfc+f.body),
				"Twitch-Eventsub-Message-Id", id, "Twitch-Eventsub-Message-Timestamp", rfc)
		},
		"hubspot": func(f fixture, ts time.Time) Request {
			ms := fmt.Sprint(ts.UnixMilli())
			r := f.request("X-HubSpot-Request-Timestamp", ms)
			r.Header.Set("X-HubSpot-Signature-v3", b64MAC(sha256.New, f.secret, r.Method+r.URL+f.body+ms))
			return r
		},
	}
	for key, sign := range rows {
		t.Run(key, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			cfg := Config{Mode: Preset, Preset: key, Secrets: []string{f.secret}, Tolerance: 300 * time.Second}
			f.accepts(t, cfg, sign(f, f.ts()), true)
			expect(t, "stale", mustNew(t, cfg).Verify(sign(f, f.now.Add(-301*time.Second)), f.now), ErrTimestampOutsideTolerance)
			expect(t, "future", mustNew(t, cfg).Verify(sign(f, f.now.Add(302*time.Second)), f.now), ErrTimestampOutsideTolerance)
		})
	}
}

func TestFreshLinear(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cfg := Config{Mode: Preset, Preset: "linear", Secrets: []string{f.secret}, Tolerance: time.Minute}
	sign := func(ts time.Time) Request {
		f.body = fmt.Sprintf(`{"action":"create","webhookTimestamp":%d}`, ts.UnixMilli())
		return f.request("Linear-Signature", hexMAC(sha256.New, f.secret, f.body))
	}
	f.accepts(t, cfg, sign(f.now.Add(-30*time.Second)), true)
	expect(t, "stale", mustNew(t, cfg).Verify(sign(f.now.Add(-61*time.Second)), f.now), ErrTimestampOutsideTolerance)
	f.body = `{"action":"create"}`
	expect(t, "no body timestamp", mustNew(t, cfg).Verify(f.request("Linear-Signature", hexMAC(sha256.New, f.secret, f.body)), f.now), ErrMissingTimestamp)
}

func TestFreshStandardWebhooksPresets(t *testing.T) {
	t.Parallel()
	for _, key := range []string{"svix", "standard-webhooks", "clerk", "resend", "gitlab-signing"} {
		t.Run(key, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			key32 := make([]byte, 32)
			rand.Read(key32)
			old := make([]byte, 32)
			rand.Read(old)
			id, ts := "msg_"+f.word(8), f.ts().Unix()
			sigs := signSvix(old, id, ts, f.body) + " " + signSvix(key32, id, ts, f.body)
			r := f.request("svix-id", id, "svix-timestamp", fmt.Sprint(ts), "svix-signature", sigs)
			cfg := Config{Mode: Preset, Preset: key, Secrets: []string{"whsec_" + base64.StdEncoding.EncodeToString(key32)}}
			f.accepts(t, cfg, r, true)
		})
	}
}

func TestFreshTwilio(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	form := url.Values{"To": {"+1555" + f.word(4)}, "Body": {f.word(30)}, "Media": {"b", "a", "b"}}
	u := "https://hooks.example.com/twilio?x=" + url.QueryEscape(f.word(5))
	// twilio-node: sorted names, each (de-duplicated, sorted) value as name+value.
	var b strings.Builder
	b.WriteString(u)
	for _, k := range slices.Sorted(maps.Keys(form)) {
		for _, v := range slices.Compact(slices.Sorted(slices.Values(form[k]))) {
			b.WriteString(k + v)
		}
	}
	r := Request{Method: "POST", URL: u, Header: map[string][]string{
		"X-Twilio-Signature": {b64MAC(sha1.New, f.secret, b.String())},
	}, Body: []byte(form.Encode())}
	f.accepts(t, Config{Mode: Preset, Preset: "twilio", Secrets: []string{"old-token", f.secret}}, r, true)
	// Twilio may have signed the URL with its default port spelled out.
	r.Header.Set("X-Twilio-Signature", b64MAC(sha1.New, f.secret, strings.Replace(b.String(), ".com/", ".com:443/", 1)))
	f.accepts(t, Config{Mode: Preset, Preset: "twilio", Secrets: []string{f.secret}}, r, false)
}

func TestFreshSquareAndHubSpotLegacy(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	r := f.request()
	r.Header.Set("x-square-hmacsha256-signature", b64MAC(sha256.New, f.secret, r.URL+f.body))
	f.accepts(t, Config{Mode: Preset, Preset: "square", Secrets: []string{f.secret}}, r, true)

	r = f.request("X-HubSpot-Signature-Version", "v2")
	sum := sha256.Sum256([]byte(f.secret + r.Method + r.URL + f.body))
	r.Header.Set("X-HubSpot-Signature", hex.EncodeToString(sum[:]))
	f.accepts(t, Config{Mode: Preset, Preset: "hubspot", Secrets: []string{f.secret}}, r, true)
}

func TestFreshMailgun(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ts, token := fmt.Sprint(f.ts().Unix()), f.word(50)
	sig := hexMAC(sha256.New, f.secret, ts+token)
	cfg := Config{Mode: Preset, Preset: "mailgun", Secrets: []string{f.secret}, Tolerance: 300 * time.Second}
	f.body = fmt.Sprintf(`{"signature":{"timestamp":%q,"token":%q,"signature":%q},"event-data":{}}`, ts, token, sig)
	f.accepts(t, cfg, f.request(), false)
	f.body = url.Values{"timestamp": {ts}, "token": {token}, "signature": {sig}}.Encode()
	f.accepts(t, cfg, f.request(), false)
	f.body = url.Values{"timestamp": {ts}, "token": {token + "x"}, "signature": {sig}}.Encode()
	expect(t, "tampered token", mustNew(t, cfg).Verify(f.request(), f.now), ErrInvalidSignature)
	f.body = `{"event-data":{}}`
	expect(t, "no signature", mustNew(t, cfg).Verify(f.request(), f.now), ErrMissingSignature)
}

func TestFreshDiscordAndSendGrid(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	ts := fmt.Sprint(f.ts().Unix())
	r := f.request("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(priv, []byte(ts+f.body))), "X-Signature-Timestamp", ts)
	f.accepts(t, Config{Mode: Preset, Preset: "discord", Secrets: []string{hex.EncodeToString(pub)}}, r, true)

	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	digest := sha256.Sum256([]byte(ts + f.body))
	sig, _ := ecdsa.SignASN1(rand.Reader, key, digest[:])
	r = f.request("X-Twilio-Email-Event-Webhook-Signature", base64.StdEncoding.EncodeToString(sig),
		"X-Twilio-Email-Event-Webhook-Timestamp", ts)
	f.accepts(t, Config{Mode: Preset, Preset: "sendgrid", Secrets: []string{base64.StdEncoding.EncodeToString(der)}}, r, true)
}

func TestFreshBasicAuth(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	user, pass := "u"+strings.ReplaceAll(f.word(6), ":", ""), f.word(10)+":with:colons"
	cred := base64.StdEncoding.EncodeToString([]byte(user + ":" + pass))
	cfg := Config{Mode: Preset, Preset: "chargebee", Secrets: []string{user + ":" + pass}}
	f.accepts(t, cfg, f.request("Authorization", "Basic "+cred), false)
	wrong := base64.StdEncoding.EncodeToString([]byte(user + "x:" + pass))
	expect(t, "wrong user", mustNew(t, cfg).Verify(f.request("Authorization", "Basic "+wrong), f.now), ErrInvalidSignature)
	expect(t, "bearer", mustNew(t, cfg).Verify(f.request("Authorization", "Bearer "+cred), f.now), ErrMissingSignature)
}
