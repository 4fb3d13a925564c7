package verify_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/wexio/webhooks/internal/verify"
)

// stripeRequest signs body the way Stripe does: HMAC-SHA256, keyed with the
// whsec_ secret as it is written, over "<unix seconds>.<body>", sent as
// "Stripe-Signature: t=<unix seconds>,v1=<hex>".
func stripeRequest(secret, body string, at time.Time) verify.Request {
	ts := strconv.FormatInt(at.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "." + body))
	h := http.Header{}
	h.Set("Stripe-Signature", "t="+ts+",v1="+hex.EncodeToString(mac.Sum(nil)))
	return verify.Request{Method: http.MethodPost, URL: "https://hooks.example.com/in/tok", Header: h, Body: []byte(body)}
}

// A verifier is built once per webhook, then checks each request's raw
// bytes against the time the request arrived.
func ExampleVerifier_Verify() {
	v, err := verify.New(verify.Config{
		Mode:      verify.Stripe,
		Secrets:   []string{"whsec_test_secret"},
		Tolerance: 5 * time.Minute,
	})
	if err != nil {
		panic(err)
	}
	sent := time.Date(2026, 1, 2, 15, 4, 5, 0, time.UTC)
	r := stripeRequest("whsec_test_secret", `{"id":"evt_1","type":"invoice.paid"}`, sent)

	fmt.Println("genuine:", v.Verify(r, sent.Add(2*time.Second)))
	fmt.Println("event id:", v.DeliveryID(r))

	r.Body = []byte(`{"id":"evt_1","type":"invoice.paid","amount":1}`)
	fmt.Println("tampered:", v.Verify(r, sent.Add(2*time.Second)))
	// Output:
	// genuine: <nil>
	// event id: evt_1
	// tampered: invalid signature
}

// A genuine request replayed after the tolerance is refused, and so is one
// dated too far ahead: the window applies both ways.
func ExampleVerifier_Verify_staleTimestamp() {
	v, err := verify.New(verify.Config{Mode: verify.Stripe, Secrets: []string{"whsec_test_secret"}, Tolerance: 5 * time.Minute})
	if err != nil {
		panic(err)
	}
	sent := time.Date(2026, 1, 2, 15, 4, 5, 0, time.UTC)
	r := stripeRequest("whsec_test_secret", `{"id":"evt_1"}`, sent)

	err = v.Verify(r, sent.Add(6*time.Minute))
	fmt.Println(err, errors.Is(err, verify.ErrTimestampOutsideTolerance))
	fmt.Println(v.Verify(r, sent.Add(-6*time.Minute)))
	// Output:
	// timestamp outside tolerance true
	// timestamp outside tolerance
}

// Slack checks a new Events API URL with a signed url_verification request
// and expects its challenge back; Handshake answers it once the signature
// holds, and says ok=false for any other request.
func ExampleVerifier_Handshake() {
	const secret = "8f742231b10e8888abcd99yyyzzz85a5"
	v, err := verify.New(verify.Config{Mode: verify.Slack, Secrets: []string{secret}, Tolerance: 5 * time.Minute})
	if err != nil {
		panic(err)
	}
	now := time.Date(2026, 1, 2, 15, 4, 5, 0, time.UTC)
	body := `{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`
	ts := strconv.FormatInt(now.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + ts + ":" + body))
	h := http.Header{}
	h.Set("X-Slack-Request-Timestamp", ts)
	h.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	r := verify.Request{Method: http.MethodPost, URL: "https://hooks.example.com/in/tok", Header: h, Body: []byte(body)}

	resp, ok, err := v.Handshake(r, now)
	fmt.Println(ok, err, resp.Status, resp.ContentType)
	fmt.Println(string(resp.Body))

	r.Body = []byte(`{"type":"event_callback","event_id":"Ev1"}`)
	_, ok, _ = v.Handshake(r, now)
	fmt.Println("an event is a handshake:", ok)
	// Output:
	// true <nil> 200 application/json
	// {"challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}
	// an event is a handshake: false
}

// After a rotation the replaced secret goes in as expiring: the verifier
// accepts it until the grace period ends, judged by each request's time, so
// a verifier kept in a cache stops accepting it on time.
func ExampleExpiringSecret() {
	graceEnds := time.Date(2026, 1, 2, 16, 0, 0, 0, time.UTC)
	v, err := verify.New(verify.Config{
		Mode:     verify.SharedSecret,
		Secrets:  []string{"new-secret"},
		Expiring: []verify.ExpiringSecret{{Secret: "old-secret", Until: graceEnds}},
	})
	if err != nil {
		panic(err)
	}
	old := verify.Request{Method: http.MethodPost, Header: http.Header{"X-Webhook-Secret": {"old-secret"}}}
	fmt.Println("in the grace period:", v.Verify(old, graceEnds.Add(-time.Minute)))
	fmt.Println("after it:", v.Verify(old, graceEnds))
	// Output:
	// in the grace period: <nil>
	// after it: invalid signature
}

// A config that names no scheme it can run is refused when the verifier is
// built; the error is ErrMisconfigured (what a request would be told) and
// says why.
func ExampleNew() {
	_, err := verify.New(verify.Config{Mode: verify.Preset, Preset: "no-such-provider", Secrets: []string{"s"}})
	fmt.Println(err)
	fmt.Println(errors.Is(err, verify.ErrMisconfigured), errors.Is(err, verify.ErrUnknownPreset))
	// Output:
	// authentication is misconfigured: unknown preset "no-such-provider"
	// true true
}
