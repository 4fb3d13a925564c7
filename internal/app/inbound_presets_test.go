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
	"fmt"
	"hash"
	"net/http"
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
