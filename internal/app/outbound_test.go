package app

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/config"
	"github.com/wexio/webhooks/internal/db"
	"github.com/wexio/webhooks/internal/db/dbtest"
	"github.com/wexio/webhooks/internal/tenant"
	"github.com/wexio/webhooks/internal/testkit"
)

// received is one POST a receiver got.
type received struct {
	header http.Header
	body   []byte
}

// receiver is a real HTTP endpoint answering with status() and recording
// what it got.
type receiver struct {
	*httptest.Server
	mu     sync.Mutex
	got    []received
	status func(n int) int
}

func newReceiver(t testing.TB, status func(n int) int) *receiver {
	rc := &receiver{status: status}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.got = append(rc.got, received{r.Header.Clone(), b})
		n := len(rc.got)
		rc.mu.Unlock()
		w.WriteHeader(rc.status(n))
		_, _ = io.WriteString(w, `{"ok":true}`)
	}))
	t.Cleanup(rc.Close)
	return rc
}

// all returns what arrived so far.
func (rc *receiver) all() []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]received(nil), rc.got...)
}

// wait returns once n requests arrived.
func (rc *receiver) wait(t testing.TB, n int) []received {
	t.Helper()
	testkit.Eventually(t, fmt.Sprintf("%d requests at the receiver", n), func() bool { return len(rc.all()) >= n })
	return rc.all()
}

func newOutboundApp(t testing.TB) *testApp {
	return newTestAppWith(t, func(c *config.Config) { c.AllowPrivateNetworks = true })
}

// A domain change reaches a subscribed receiver as a Standard Webhooks
// request: the envelope, the headers of CONTRACT.md §5 and a signature that
// verifies with the whsec_ secret handed out at creation.
func TestOutboundDeliversSignedEvents(t *testing.T) {
	t.Parallel()
	ta := newOutboundApp(t)
	rc := newReceiver(t, func(int) int { return 200 })
	p := get(ta.ok(t, ta.key, createOutbound, map[string]any{"in": map[string]any{
		"name": "crm", "url": rc.URL + "/hook", "events": []string{"contact.*"},
		"headers": map[string]any{"X-Tenant": "acme"}}}), "createOutboundWebhook")
	secret := str(p, "secret")
	ct := ta.ok(t, ta.key, `mutation { createContact(input: {name: "Ann", email: "Ann@Example.com", attributes: {plan: "pro"}}) { id } }`, nil)
	ctID := str(ct, "createContact.id")
	got := rc.wait(t, 1)[0]
	h := got.header
	var env map[string]any
	if err := json.Unmarshal(got.body, &env); err != nil {
		t.Fatalf("body %s: %v", got.body, err)
	}
	if str(env, "type") != "contact.created" || str(env, "data.id") != ctID || str(env, "data.email") != "ann@example.com" ||
		str(env, "data.attributes.plan") != "pro" || !strings.HasPrefix(str(env, "id"), "evt_") {
		t.Fatalf("envelope %s", got.body)
	}
	if h.Get("webhook-id") != str(env, "id") || h.Get("Content-Type") != "application/json" ||
		!strings.HasPrefix(h.Get("User-Agent"), "wexio-webhooks/") || h.Get("X-Tenant") != "acme" {
		t.Fatalf("headers %v", h)
	}
	key, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(h.Get("webhook-id") + "." + h.Get("webhook-timestamp") + "." + string(got.body)))
	if want := "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil)); h.Get("webhook-signature") != want {
		t.Fatalf("signature %q, want %q", h.Get("webhook-signature"), want)
	}
	// The attempt is a log row and the delivery SUCCEEDED.
	var dl any
	testkit.Eventually(t, "the delivery SUCCEEDED", func() bool {
		d := ta.ok(t, ta.key, `{ events(first: 5) { edges { node { type deliveries { status attempts logs { outcome statusCode attempt request { headers } } } } } } }`, nil)
		dl = get(d, "events.edges.0.node.deliveries.0")
		return str(dl, "status") == "SUCCEEDED"
	})
	l := get(dl, "logs.0")
	if str(l, "outcome") != "SUCCEEDED" || get(l, "statusCode") != 200.0 || get(l, "attempt") != 1.0 ||
		strings.Contains(mustJSON(l), strings.TrimPrefix(h.Get("webhook-signature"), "v1,")) {
		t.Fatalf("attempt log %v", l)
	}
}

// sendTestEvent goes to that webhook alone; a FAILED delivery retried by
// retryDelivery gets exactly one more attempt.
func TestOutboundTestEventAndManualRetry(t *testing.T) {
	t.Parallel()
	ta := newOutboundApp(t)
	rc := newReceiver(t, func(n int) int {
		if n == 1 {
			return 500
		}
		return 204
	})
	other := newReceiver(t, func(int) int { return 200 })
	id := str(ta.ok(t, ta.key, createOutbound, map[string]any{"in": map[string]any{
		"name": "t", "url": rc.URL, "events": []string{"*"}, "maxRetries": 0}}), "createOutboundWebhook.webhook.id")
	ta.ok(t, ta.key, createOutbound, map[string]any{"in": map[string]any{"name": "o", "url": other.URL, "events": []string{"*"}}})
	dlv := str(ta.ok(t, ta.key, `mutation($id: ID!) { sendTestEvent(webhookId: $id) { id status } }`,
		map[string]any{"id": id}), "sendTestEvent.id")
	first := rc.wait(t, 1)[0]
	if !strings.Contains(string(first.body), `"type":"webhook.test"`) {
		t.Fatalf("test event body %s", first.body)
	}
	status := func() string {
		d := ta.ok(t, ta.key, `query($id: ID!) { node(id: $id) { ... on Delivery { status attempts } } }`, map[string]any{"id": dlv})
		return str(d, "node.status")
	}
	testkit.Eventually(t, "the delivery FAILED", func() bool { return status() == "FAILED" })
	ta.ok(t, ta.key, `mutation($id: ID!) { retryDelivery(id: $id) { id } }`, map[string]any{"id": dlv})
	rc.wait(t, 2)
	testkit.Eventually(t, "the delivery SUCCEEDED", func() bool { return status() == "SUCCEEDED" })
	if n := len(other.all()); n != 0 {
		t.Fatalf("the test event reached another webhook %d times", n)
	}
	// A disabled webhook refuses a retry rather than leaving it due forever.
	ta.ok(t, ta.key, `mutation($id: ID!) { setWebhookStatus(id: $id, status: DISABLED) { id } }`, map[string]any{"id": id})
	r := ta.gql(t, ta.key, `mutation($id: ID!) { retryDelivery(id: $id) { id } }`, map[string]any{"id": dlv})
	if r.code() != "BAD_USER_INPUT" || status() != "SUCCEEDED" {
		t.Fatalf("retry on a disabled webhook: %s, delivery %s", r.code(), status())
	}
}

// TestStartReleasesLeasesOfADeadProcess: a server killed with deliveries
// claimed leaves their leases behind; the next server on the file holds
// the worker lock, so it knows their owner is gone and delivers them at
// once instead of 10 minutes later.
func TestStartReleasesLeasesOfADeadProcess(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, func(int) int { return 200 })
	path := filepath.Join(t.TempDir(), "wexio.db")
	d, err := db.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := dbtest.Workspace(t, d.Write, "Dead")
	now := time.Now()
	wh := d.Write.Webhook.Create().SetName("out").SetDirection(schematype.DirectionOutbound).
		SetURL(rc.URL).SetEvents([]string{"*"}).SetOutboundAuth(schematype.OutboundNone).SaveX(ctx)
	ev := d.Write.Event.Create().SetType("contact.created").SetOccurredAt(now).SetData([]byte(`{"id":"ct_1"}`)).SaveX(ctx)
	// What the dead server left: a claimed delivery never attempted.
	d.Write.Delivery.Create().SetEventID(ev.ID).SetWebhookID(wh.ID).
		SetNextAttemptAt(now).SetClaimedUntil(now.Add(10 * time.Minute)).SaveX(ctx)
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	newTestAppWith(t, func(c *config.Config) {
		c.AllowPrivateNetworks = true
		c.DatabaseURL = "sqlite://" + path
	})
	if got := rc.wait(t, 1)[0]; got.header.Get("Webhook-Id") != string(ev.ID) {
		t.Fatalf("delivered %s, want %s", got.header.Get("Webhook-Id"), ev.ID)
	}
}

// TestStartBesideARunningServerKeepsItsLeases: a server starting while
// another runs on the same file cannot tell the other's leases from a dead
// server's: it releases none, and its retryDelivery leaves a lease it does
// not hold.
func TestStartBesideARunningServerKeepsItsLeases(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, func(int) int { return 200 })
	path := filepath.Join(t.TempDir(), "wexio.db")
	useFile := func(c *config.Config) {
		c.AllowPrivateNetworks = true
		c.DatabaseURL = "sqlite://" + path
	}
	first := newTestAppWith(t, useFile)
	ctx := auth.System(context.Background())
	wsID := first.db.Read.Workspace.Query().FirstIDX(ctx)
	wctx := tenant.WithWorkspace(context.Background(), string(wsID))
	// Paused, so that no dispatcher claims the delivery again once a lease
	// is dropped: what is checked is the lease alone.
	wh := first.db.Write.Webhook.Create().SetName("out").SetDirection(schematype.DirectionOutbound).
		SetStatus(schematype.WebhookPaused).SetURL(rc.URL).SetEvents([]string{"*"}).
		SetOutboundAuth(schematype.OutboundNone).SaveX(wctx)
	now := time.Now()
	ev := first.db.Write.Event.Create().SetType("contact.created").SetOccurredAt(now).SetData([]byte(`{}`)).SaveX(wctx)
	// A delivery the first server is working on, as far as the file says.
	dl := first.db.Write.Delivery.Create().SetEventID(ev.ID).SetWebhookID(wh.ID).
		SetNextAttemptAt(now).SetClaimedUntil(now.Add(10 * time.Minute)).SaveX(wctx)
	second := newTestAppWith(t, useFile)
	if got := second.db.Read.Delivery.GetX(ctx, dl.ID); got.ClaimedUntil == nil {
		t.Fatal("a server starting beside a running one released its lease")
	}
	second.ok(t, first.key, `mutation($id: ID!) { retryDelivery(id: $id) { id } }`, map[string]any{"id": dl.ID})
	if got := second.db.Read.Delivery.GetX(ctx, dl.ID); got.ClaimedUntil == nil {
		t.Fatal("retryDelivery on the second server dropped a lease it does not hold")
	}
}
