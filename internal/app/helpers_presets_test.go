package app

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

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
