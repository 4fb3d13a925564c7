package outbound_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/outbound"
	"github.com/wexio/webhooks/internal/redact"
	"github.com/wexio/webhooks/internal/webhooks"
)

// verify checks a Standard Webhooks signature the way a receiver would,
// independently of signing.Sign.
func verify(t *testing.T, secret, id, ts string, body []byte, sig string) {
	t.Helper()
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		t.Fatal(err)
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + ts + "." + string(body)))
	if want := "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil)); sig != want {
		t.Fatalf("signature %q, want %q", sig, want)
	}
}

func testSecret(b byte) string {
	return "whsec_" + base64.StdEncoding.EncodeToString([]byte(strings.Repeat(string(rune('a'+b)), 32)))
}

func TestSuccessSendsSignedEnvelope(t *testing.T) {
	t.Parallel()
	e := setup(t)
	rcv := newReceiver(t, func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("thanks")) })
	secret := testSecret(0)
	wh := e.hook(t, rcv.URL+"/hook", &webhooks.OutboundAuthInput{Mode: schematype.OutboundHMAC, Secret: &secret}, 5)
	// Static headers may not override ours, even when stored around the API.
	e.db.Write.Webhook.UpdateOneID(wh.ID).SetHeaders(map[string]string{
		"X-Team": "blue", "Webhook-Signature": "v1,forged", "Content-Type": "text/plain", "webhook-id": "x",
	}).ExecX(auth.System(context.Background()))
	em := e.emit(t)
	if n := e.once(t, e.dispatcher(t, nil)); n != 1 {
		t.Fatalf("claimed %d, want 1", n)
	}
	reqs := rcv.got()
	if len(reqs) != 1 {
		t.Fatalf("receiver got %d requests", len(reqs))
	}
	h, body := reqs[0].header, reqs[0].body
	id, ts := string(em.Event.ID), strconv.FormatInt(e.clk.now().Unix(), 10)
	want := map[string]string{
		"Content-Type": "application/json", "User-Agent": "wexio-webhooks/test",
		"Webhook-Id": id, "Webhook-Timestamp": ts, "X-Team": "blue",
	}
	for k, v := range want {
		if got := h.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	if len(h.Values("Webhook-Id")) != 1 || len(h.Values("Content-Type")) != 1 {
		t.Errorf("duplicated reserved headers: %v", h)
	}
	wantBody := `{"id":"` + id + `","type":"contact.created","timestamp":"2026-11-26T12:00:00Z","data":{"id":"ct_1","name":"Ada <&>"}}`
	if string(body) != wantBody {
		t.Fatalf("body\n%s\nwant\n%s", body, wantBody)
	}
	verify(t, secret, id, ts, body, h.Get("Webhook-Signature"))

	checkRecorded(t, e, em.Deliveries[0].ID, wh.WorkspaceID, string(em.Event.ID), rcv.URL+"/hook", wantBody)
}

// checkRecorded checks the delivery and the log row of one successful
// attempt.
func checkRecorded(t *testing.T, e *env, id pulid.ID, ws pulid.ID, eventID, url, body string) {
	t.Helper()
	dl := e.delivery(t, id)
	if dl.Status != schematype.DeliverySucceeded || dl.Attempts != 1 || dl.ClaimedUntil != nil || dl.NextAttemptAt != nil {
		t.Fatalf("delivery = %+v", dl)
	}
	logs := e.logs(t, dl.ID)
	if len(logs) != 1 {
		t.Fatalf("%d log rows", len(logs))
	}
	l := logs[0]
	switch {
	case l.Outcome != schematype.OutcomeSucceeded, l.StatusCode == nil || *l.StatusCode != 200,
		l.Direction != schematype.DirectionOutbound, l.Attempt == nil || *l.Attempt != 1,
		l.EventID == nil || string(*l.EventID) != eventID, l.WorkspaceID != ws,
		l.Error != nil, l.NextRetryAt != nil, !l.OccurredAt.Equal(e.clk.now()):
		t.Fatalf("log row = %+v", l)
	}
	if l.Request.Headers["Webhook-Signature"] != "[redacted]" || l.Request.Body != body || l.Request.Method != "POST" || l.Request.URL != url {
		t.Fatalf("stored request = %+v", l.Request)
	}
	if l.Response == nil || l.Response.Body != "thanks" {
		t.Fatalf("stored response = %+v", l.Response)
	}
	if e.pub.len() != 1 {
		t.Fatalf("published %d rows, want 1", e.pub.len())
	}
}

// TestCredentialsAreSentButNotLogged: static header values and URL query
// values reach the receiver as given; the webhook stores them sealed,
// whatever their names, and the history keeps them redacted. Only the
// harmless headers are stored and logged as they are.
func TestCredentialsAreSentButNotLogged(t *testing.T) {
	t.Parallel()
	e := setup(t)
	rcv := newReceiver(t, nil)
	wh := e.hook(t, rcv.URL+"/hook?api_token=t0k-plain&page=2", nil, 5)
	secrets := map[string]string{
		"X-Api-Key": "k3y-plain", "Cookie": "sid=1-plain", "X-Auth-Token": "t0k-plain",
		// Named like nothing secret, and a credential all the same.
		"X-Access-Key": "acc3ss-plain", "X-Team": "blue-plain",
	}
	headers := map[string]any{"Accept": "application/json", "Accept-Language": "en"}
	for k, v := range secrets {
		headers[k] = v
	}
	if _, err := e.svc.Update(e.ctx, e.db.Write, wh.ID, webhooks.UpdateInput{Headers: headers}); err != nil {
		t.Fatal(err)
	}
	// Stored sealed, like auth secrets.
	stored := e.db.Read.Webhook.GetX(e.ctx, wh.ID)
	for k, v := range stored.Headers {
		if strings.Contains(v, "plain") {
			t.Errorf("header %s stored as %q", k, v)
		}
	}
	if stored.Headers["Accept"] != "application/json" || strings.Contains(stored.URL, "plain") || len(stored.URLSealed) == 0 {
		t.Errorf("stored headers %v, URL %q", stored.Headers, stored.URL)
	}
	em := e.emit(t)
	e.once(t, e.dispatcher(t, nil))
	got := rcv.got()
	if len(got) != 1 {
		t.Fatalf("receiver got %d requests", len(got))
	}
	l := e.logs(t, em.Deliveries[0].ID)[0]
	for k, v := range secrets {
		if got[0].header.Get(k) != v {
			t.Errorf("sent %s = %q, want %q", k, got[0].header.Get(k), v)
		}
		if l.Request.Headers[k] != redact.Marker {
			t.Errorf("logged %s = %q, want it redacted", k, l.Request.Headers[k])
		}
	}
	if got[0].url != "/hook?api_token=t0k-plain&page=2" {
		t.Errorf("sent to %q, want the whole URL", got[0].url)
	}
	for k, v := range map[string]string{"Accept": "application/json", "Accept-Language": "en", "Content-Type": "application/json",
		"User-Agent": "wexio-webhooks/test", "Webhook-Id": string(em.Event.ID)} {
		if l.Request.Headers[k] != v {
			t.Errorf("logged %s = %q, want %q", k, l.Request.Headers[k], v)
		}
	}
	if want := rcv.URL + "/hook?api_token=[redacted]&page=[redacted]"; l.Request.URL != want {
		t.Errorf("logged URL %q, want %q", l.Request.URL, want)
	}
}

// TestFailedAttemptKeepsTheQueryOut: an attempt that reaches nobody says
// why in its row and in the operator log, without the URL's query values.
func TestFailedAttemptKeepsTheQueryOut(t *testing.T) {
	t.Parallel()
	e := setup(t)
	gone := newReceiver(t, nil)
	gone.Close() // its port now refuses connections
	e.hook(t, gone.URL+"/h?api_key=k3y-plain", nil, 0)
	em := e.emit(t)
	var buf bytes.Buffer
	var mu sync.Mutex
	log := slog.New(slog.NewTextHandler(lockedWriter{&mu, &buf}, nil))
	e.once(t, e.dispatcher(t, func(c *outbound.Config) { c.Log = log }))
	l := e.logs(t, em.Deliveries[0].ID)[0]
	mu.Lock()
	logged := buf.String()
	mu.Unlock()
	if l.Error == nil || l.StatusCode != nil {
		t.Fatalf("log row %+v, want a network error", l)
	}
	for what, s := range map[string]string{"row error": *l.Error, "row URL": l.Request.URL, "operator log": logged} {
		if strings.Contains(s, "k3y-plain") {
			t.Errorf("%s holds the query value: %s", what, s)
		}
	}
}

func TestRotationSendsBothSignatures(t *testing.T) {
	t.Parallel()
	e := setup(t)
	rcv := newReceiver(t, nil)
	old := testSecret(1)
	wh := e.hook(t, rcv.URL, &webhooks.OutboundAuthInput{Mode: schematype.OutboundHMAC, Secret: &old}, 5)
	next := testSecret(2)
	if _, _, err := e.svc.Rotate(e.ctx, e.db.Write, wh.ID, 3600, &next); err != nil {
		t.Fatal(err)
	}
	em := e.emit(t)
	e.once(t, e.dispatcher(t, nil))
	r := rcv.got()[0]
	sigs := strings.Split(r.header.Get("Webhook-Signature"), " ")
	if len(sigs) != 2 {
		t.Fatalf("signatures = %q", sigs)
	}
	ts := r.header.Get("Webhook-Timestamp")
	verify(t, next, string(em.Event.ID), ts, r.body, sigs[0])
	verify(t, old, string(em.Event.ID), ts, r.body, sigs[1])
}

func TestBearerAndBasic(t *testing.T) {
	t.Parallel()
	user, pass, tok := "ada", "s3cret", "tok_123"
	cases := map[string]struct {
		auth webhooks.OutboundAuthInput
		want string
	}{
		"bearer": {webhooks.OutboundAuthInput{Mode: schematype.OutboundBearer, Token: &tok}, "Bearer tok_123"},
		"basic": {webhooks.OutboundAuthInput{Mode: schematype.OutboundBasic, Username: &user, Password: &pass},
			"Basic " + base64.StdEncoding.EncodeToString([]byte("ada:s3cret"))},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := setup(t)
			rcv := newReceiver(t, nil)
			e.hook(t, rcv.URL, &c.auth, 5)
			em := e.emit(t)
			e.once(t, e.dispatcher(t, nil))
			h := rcv.got()[0].header
			if h.Get("Authorization") != c.want || h.Get("Webhook-Signature") != "" {
				t.Fatalf("headers = %v", h)
			}
			l := e.logs(t, em.Deliveries[0].ID)[0]
			if l.Request.Headers["Authorization"] != "[redacted]" {
				t.Fatalf("stored Authorization = %q", l.Request.Headers["Authorization"])
			}
		})
	}
}
