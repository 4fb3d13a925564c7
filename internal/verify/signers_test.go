package verify

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"
)

// The signers below compute signatures the way each provider documents it,
// independently of the package's engine, at random inputs.

func hmacSum(h func() hash.Hash, key []byte, parts ...string) []byte {
	m := hmac.New(h, key)
	for _, p := range parts {
		m.Write([]byte(p))
	}
	return m.Sum(nil)
}

func hexMAC(h func() hash.Hash, key string, parts ...string) string {
	return hex.EncodeToString(hmacSum(h, []byte(key), parts...))
}

func b64MAC(h func() hash.Hash, key string, parts ...string) string {
	return base64.StdEncoding.EncodeToString(hmacSum(h, []byte(key), parts...))
}

func signStripe(secret string, ts int64, body string) string {
	return fmt.Sprintf("t=%d,v1=%s", ts, hexMAC(sha256.New, secret, fmt.Sprint(ts), ".", body))
}

func signSlack(secret string, ts int64, body string) string {
	return "v0=" + hexMAC(sha256.New, secret, fmt.Sprintf("v0:%d:%s", ts, body))
}

func signSvix(key []byte, id string, ts int64, body string) string {
	return "v1," + base64.StdEncoding.EncodeToString(hmacSum(sha256.New, key, fmt.Sprintf("%s.%d.%s", id, ts, body)))
}

func signPaddle(secret string, ts int64, body string) string {
	return fmt.Sprintf("ts=%d;h1=%s", ts, hexMAC(sha256.New, secret, fmt.Sprintf("%d:%s", ts, body)))
}

func signRevolut(secret string, tsMillis int64, body string) string {
	return "v1=" + hexMAC(sha256.New, secret, fmt.Sprintf("v1.%d.%s", tsMillis, body))
}

// fixture holds the random inputs of one fresh-signature case.
type fixture struct {
	rng    *rand.Rand
	secret string
	body   string
	now    time.Time
}

func newFixture(t *testing.T) fixture {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, seed>>1))
	f := fixture{rng: rng, now: time.Unix(1_500_000_000+rng.Int64N(500_000_000), rng.Int64N(1e9))}
	f.secret = f.word(8 + rng.IntN(40))
	f.body = fmt.Sprintf(`{"id":%q,"n":%d,"text":"%s %s"}`, f.word(12), rng.Int64(), f.word(rng.IntN(100)), f.word(rng.IntN(100)))
	return f
}

// word is random text fit for a header value: no space, as HTTP strips
// leading and trailing whitespace from values.
func (f fixture) word(n int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-+/=:;,.é"
	b := make([]rune, n)
	for i := range b {
		b[i] = []rune(alphabet)[f.rng.IntN(len([]rune(alphabet)))]
	}
	return string(b)
}

// ts is a send time inside a 300 s window around now, either side.
func (f fixture) ts() time.Time {
	return f.now.Add(time.Duration(f.rng.Int64N(int64(598*time.Second))) - 299*time.Second)
}

func (f fixture) request(headers ...string) Request {
	h := http.Header{}
	for i := 0; i+1 < len(headers); i += 2 {
		h.Add(headers[i], headers[i+1])
	}
	return Request{Method: "POST", URL: "https://hooks.example.com/in/" + f.word(6), Header: h, Body: []byte(f.body)}
}

// accepts checks cfg accepts r at f.now, and rejects it with a tampered body.
func (f fixture) accepts(t *testing.T, cfg Config, r Request, tamper bool) {
	t.Helper()
	if cfg.Tolerance == 0 {
		cfg.Tolerance = 300 * time.Second
	}
	if err := ValidateConfig(cfg); err != nil {
		t.Fatalf("ValidateConfig: %v", err)
	}
	expect(t, "fresh signature", mustNew(t, cfg).Verify(r, f.now), nil)
	if tamper {
		r.Body = append([]byte(" "), r.Body...)
		expect(t, "tampered", mustNew(t, cfg).Verify(r, f.now), ErrInvalidSignature)
	}
}

func TestFreshNativeModes(t *testing.T) {
	t.Parallel()
	t.Run("SHARED_SECRET", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		cfg := Config{Mode: SharedSecret, Secrets: []string{f.secret}}
		f.accepts(t, cfg, f.request("X-Webhook-Secret", f.secret), false)
		f.accepts(t, cfg, f.request("Authorization", "bearer "+f.secret), false)
		expect(t, "prefix of secret", mustNew(t, cfg).Verify(f.request("X-Webhook-Secret", f.secret[:len(f.secret)-1]), f.now), ErrInvalidSignature)
	})
	t.Run("STRIPE", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		secret := "whsec_" + f.word(32)
		r := f.request("Stripe-Signature", signStripe(secret, f.ts().Unix(), f.body))
		f.accepts(t, Config{Mode: Stripe, Secrets: []string{secret}}, r, true)
	})
	t.Run("SLACK", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		ts := f.ts().Unix()
		r := f.request("X-Slack-Signature", signSlack(f.secret, ts, f.body), "X-Slack-Request-Timestamp", fmt.Sprint(ts))
		f.accepts(t, Config{Mode: Slack, Secrets: []string{f.secret}}, r, true)
	})
	t.Run("SVIX", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		key := make([]byte, 24+f.rng.IntN(41))
		for i := range key {
			key[i] = byte(f.rng.UintN(256))
		}
		enc := []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding}[f.rng.IntN(2)]
		secret := "whsec_" + enc.EncodeToString(key)
		id, ts := "msg_"+f.word(10), f.ts().Unix()
		r := f.request("webhook-id", id, "webhook-timestamp", fmt.Sprint(ts), "webhook-signature", signSvix(key, id, ts, f.body))
		f.accepts(t, Config{Mode: Svix, Secrets: []string{secret}}, r, true)
	})
	t.Run("PADDLE", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		r := f.request("Paddle-Signature", signPaddle(f.secret, f.ts().Unix(), f.body))
		f.accepts(t, Config{Mode: Paddle, Secrets: []string{f.secret}}, r, true)
	})
	t.Run("REVOLUT", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		ms := f.ts().UnixMilli()
		r := f.request("Revolut-Signature", signRevolut(f.secret, ms, f.body), "Revolut-Request-Timestamp", fmt.Sprint(ms))
		f.accepts(t, Config{Mode: Revolut, Secrets: []string{f.secret}}, r, true)
	})
}

func TestFreshGenericHMAC(t *testing.T) {
	t.Parallel()
	algs := map[string]func() hash.Hash{"SHA1": sha1.New, "SHA256": sha256.New, "SHA512": sha512.New}
	templates := []string{"{body}", "{timestamp}.{body}", "v0:{timestamp}:{body}", "{id}.{timestamp}.{body}",
		"{method}{url}{body}{timestamp}", "{url}{body}", "{timestamp}{body}"}
	for alg, h := range algs {
		for _, enc := range []string{"HEX", "BASE64"} {
			for _, tmpl := range templates {
				t.Run(alg+"/"+enc+"/"+tmpl, func(t *testing.T) {
					t.Parallel()
					f := newFixture(t)
					p := &HMACParams{Header: "X-Sig", Algorithm: alg, Encoding: enc, Prefix: "sig=", SignedPayload: tmpl,
						TimestampHeader: "X-Ts", IDHeader: "X-Id"}
					r := f.request("X-Ts", fmt.Sprint(f.ts().Unix()), "X-Id", f.word(8))
					content := strings.NewReplacer("{body}", f.body, "{timestamp}", r.Header.Get("X-Ts"),
						"{id}", r.Header.Get("X-Id"), "{method}", r.Method, "{url}", r.URL).Replace(tmpl)
					sig := hexMAC(h, f.secret, content)
					if enc == "BASE64" {
						sig = b64MAC(h, f.secret, content)
					}
					r.Header.Set("X-Sig", "sig="+sig)
					f.accepts(t, Config{Mode: GenericHMAC, HMAC: p, Secrets: []string{f.secret}}, r, true)
				})
			}
		}
	}
}
