package verify

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

// seedHeaders adds every golden header value whose name matches one of names.
func seedHeaders(f *testing.F, names ...string) {
	f.Helper()
	for _, v := range loadVectors(f) {
		for k, val := range v.Headers {
			for _, n := range names {
				if strings.EqualFold(k, n) {
					f.Add(val)
				}
			}
		}
		for k, lines := range v.Multi {
			for _, n := range names {
				if strings.EqualFold(k, n) {
					f.Add(lines[0])
				}
			}
		}
	}
}

// checkList asserts what every list parser promises: no panic, only the
// sentinel error, a timestamp that is text of the header, and MACs no longer
// than their encoded text allows.
func checkList(t *testing.T, header string, s signatures, err error, enc encoding) {
	if err != nil && !errors.Is(err, ErrMalformedSignature) {
		t.Fatalf("unexpected error %v", err)
	}
	if err != nil && (len(s.macs) > 0 || s.hasTS) {
		t.Fatalf("error with results %+v", s)
	}
	if s.hasTS && (s.ts == "" || !strings.Contains(header, s.ts)) {
		t.Fatalf("timestamp %q not from %q", s.ts, header)
	}
	total := 0
	for _, m := range s.macs {
		if len(m) == 0 {
			t.Fatal("empty mac")
		}
		total += len(m)
	}
	limit := len(header) / 2
	if enc == encBase64 {
		limit = len(header) * 3 / 4
	}
	if total > limit {
		t.Fatalf("%d mac bytes from a %d-byte header", total, len(header))
	}
}

func FuzzStripeHeader(f *testing.F) {
	seedHeaders(f, "Stripe-Signature", "Calendly-Webhook-Signature")
	f.Add("t=1,v1=,v1")
	f.Fuzz(func(t *testing.T, h string) {
		s, err := stripeScheme.list.parse([]string{h}, encHex, "")
		checkList(t, h, s, err, encHex)
		if err == nil && !strings.Contains(h, "v1") && len(s.macs) > 0 {
			t.Fatal("a mac without a v1 entry")
		}
	})
}

func FuzzPaddleHeader(f *testing.F) {
	seedHeaders(f, "Paddle-Signature")
	f.Fuzz(func(t *testing.T, h string) {
		s, err := paddleScheme.list.parse([]string{h}, encHex, "")
		checkList(t, h, s, err, encHex)
		if s.hasTS && strings.Contains(s.ts, ";") {
			t.Fatalf("timestamp %q spans pairs", s.ts)
		}
	})
}

func FuzzSvixHeader(f *testing.F) {
	seedHeaders(f, "svix-signature", "webhook-signature")
	f.Fuzz(func(t *testing.T, h string) {
		s, err := svixScheme.list.parse([]string{h}, encBase64, "")
		checkList(t, h, s, err, encBase64)
	})
}

func FuzzRevolutHeader(f *testing.F) {
	seedHeaders(f, "Revolut-Signature")
	f.Fuzz(func(t *testing.T, h string) {
		s, err := revolutScheme.list.parse([]string{h}, encHex, "")
		checkList(t, h, s, err, encHex)
	})
}

func FuzzRecurlyHeader(f *testing.F) {
	seedHeaders(f, "recurly-signature")
	f.Fuzz(func(t *testing.T, h string) {
		s, err := recurlyScheme.list.parse([]string{h}, encHex, "")
		checkList(t, h, s, err, encHex)
		if err == nil && s.hasTS && strings.Contains(s.ts, ",") {
			t.Fatalf("timestamp %q spans elements", s.ts)
		}
	})
}

// FuzzDecodeSignature: the generic prefix and encoding decode round-trips.
func FuzzDecodeSignature(f *testing.F) {
	seedHeaders(f, "X-Hub-Signature-256", "X-Hub-Signature", "X-Shopify-Hmac-Sha256", "Typeform-Signature", "X-Signature")
	f.Fuzz(func(t *testing.T, v string) {
		for _, prefix := range []string{"", "sha256=", "sha1=", "v0="} {
			rest := trimPrefix(v, prefix)
			if !strings.HasSuffix(v, rest) {
				t.Fatalf("trimPrefix(%q, %q) = %q", v, prefix, rest)
			}
			if b, ok := encHex.decode(rest); ok && !strings.EqualFold(hex.EncodeToString(b), rest) {
				t.Fatalf("hex %q decoded to %x", rest, b)
			}
			if b, ok := encBase64.decode(rest); ok {
				again, ok2 := encBase64.decode(base64.StdEncoding.EncodeToString(b))
				if !ok2 || !bytes.Equal(again, b) {
					t.Fatalf("base64 %q did not round-trip", rest)
				}
			}
		}
	})
}

func FuzzTemplate(f *testing.F) {
	for _, s := range []string{"{body}", "{timestamp}.{body}", "v0:{timestamp}:{body}", "{id}{timestamp}{body}", "{method}{url}{body}{timestamp}", "{", "{x}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tmpl, err := parseTemplate(s)
		if err != nil {
			if !errors.Is(err, ErrInvalidTemplate) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if tmpl.String() != s {
			t.Fatalf("round trip %q -> %q", s, tmpl.String())
		}
		var b bytes.Buffer
		tmpl.write(&b, values{body: []byte("B"), timestamp: "T", id: "I", method: "M", url: "U"})
		if tmpl.uses(fieldBody) && !bytes.Contains(b.Bytes(), []byte("B")) {
			t.Fatalf("{body} rendering of %q: %q", s, b.String())
		}
	})
}

// FuzzVerifyPresets throws one header value and body at every preset's
// signature headers: whatever arrives, the answer is nil or an *Error.
func FuzzVerifyPresets(f *testing.F) {
	for _, v := range loadVectors(f) {
		for _, val := range v.Headers {
			f.Add(val, v.Body)
		}
	}
	names := []string{"Stripe-Signature", "X-Hub-Signature-256", "svix-signature", "svix-id", "svix-timestamp", "Paddle-Signature",
		"Revolut-Signature", "Revolut-Request-Timestamp", "X-Slack-Signature", "X-Slack-Request-Timestamp", "recurly-signature",
		"X-Twilio-Signature", "X-Signature-Ed25519", "X-Signature-Timestamp", "Authorization", "X-HubSpot-Signature-v3",
		"X-HubSpot-Request-Timestamp", "X-Twilio-Email-Event-Webhook-Signature", "X-Twilio-Email-Event-Webhook-Timestamp",
		"Twitch-Eventsub-Message-Timestamp", "X-Zendesk-Webhook-Signature-Timestamp", "Twitch-Eventsub-Message-Type"}
	now := time.Unix(1700000000, 0)
	f.Fuzz(func(t *testing.T, value, body string) {
		h := http.Header{}
		for _, n := range names {
			h.Set(n, value)
		}
		r := Request{Method: "POST", URL: "https://example.com/in/x?" + value, Header: h, Body: []byte(body)}
		for _, p := range Presets() {
			cfg := Config{Mode: Preset, Preset: p.Key, Secrets: []string{value, "s"}, Tolerance: time.Minute}
			v := mustNew(t, cfg)
			var e *Error
			if err := v.Verify(r, now); err != nil && !errors.As(err, &e) {
				t.Fatalf("%s: %T %v", p.Key, err, err)
			}
			v.DeliveryID(r)
			v.Handshake(r, now)
		}
	})
}
