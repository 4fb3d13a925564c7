package app

import (
	"context"
	"database/sql"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/config"
	"github.com/wexio/webhooks/internal/db"
	"github.com/wexio/webhooks/internal/db/dbtest"
	"github.com/wexio/webhooks/internal/store"
	"github.com/wexio/webhooks/internal/testkit"
)

// sealingReceiver records the request URI and headers of every POST.
type sealingReceiver struct {
	*httptest.Server
	mu  sync.Mutex
	got []*http.Request
}

func newSealingReceiver(t *testing.T) *sealingReceiver {
	rc := &sealingReceiver{}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc.mu.Lock()
		rc.got = append(rc.got, r.Clone(context.Background()))
		rc.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(rc.Close)
	return rc
}

// wait returns the n-th request, once it arrived.
func (rc *sealingReceiver) wait(t *testing.T, n int) *http.Request {
	t.Helper()
	var r *http.Request
	testkit.Eventually(t, "a request at the receiver", func() bool {
		rc.mu.Lock()
		defer rc.mu.Unlock()
		if len(rc.got) >= n {
			r = rc.got[n-1]
		}
		return r != nil
	})
	return r
}

// webhookColumns reads webhook id's url and headers columns as stored.
func (ta *testApp) webhookColumns(t *testing.T, id string) (url, headers string) {
	t.Helper()
	q := dbtest.Rebind(ta.db.Dialect, "SELECT url, headers FROM webhooks WHERE id = ?")
	rows, err := ta.db.Read.QueryContext(context.Background(), q, id)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var u, h sql.NullString
	if !rows.Next() {
		t.Fatalf("no webhook %s", id)
	}
	if err := rows.Scan(&u, &h); err != nil {
		t.Fatal(err)
	}
	return u.String, h.String
}

const outboundSettingsQuery = `query($id: ID!) { node(id: $id) { ... on Webhook { outbound { url headers } } } }`

// sendTest sends a test event to webhook id and returns its delivery's id.
func (ta *testApp) sendTest(t *testing.T, key, id string) string {
	t.Helper()
	return str(ta.ok(t, key, `mutation($id: ID!) { sendTestEvent(webhookId: $id) { id } }`, map[string]any{"id": id}), "sendTestEvent.id")
}

// attemptRequest is the request the first attempt of delivery dlv keeps,
// once it succeeded.
func (ta *testApp) attemptRequest(t *testing.T, key, dlv string) any {
	t.Helper()
	var l any
	testkit.Eventually(t, "the attempt recorded", func() bool {
		d := ta.ok(t, key, `query($id: ID!) { node(id: $id) { ... on Delivery { status logs { request { url headers } } } } }`,
			map[string]any{"id": dlv})
		l = get(d, "node.logs.0.request")
		return str(d, "node.status") == "SUCCEEDED" && l != nil
	})
	return l
}

// checkSealedDelivery checks the whole chain for webhook id, set up with
// X-Access-Key: s3cret, Accept: application/json and ?api_key=abc&x=1:
// stored sealed, read back redacted, sent whole, logged redacted.
func checkSealedDelivery(t *testing.T, ta *testApp, key, id string, rc *sealingReceiver, n int) {
	t.Helper()
	url, headers := ta.webhookColumns(t, id)
	if strings.Contains(url, "abc") || strings.Contains(headers, "s3cret") || !strings.Contains(headers, "application/json") {
		t.Errorf("stored url %q, headers %s", url, headers)
	}
	o := get(ta.ok(t, key, outboundSettingsQuery, map[string]any{"id": id}), "node.outbound")
	if str(o, "url") != rc.URL+"/hook?api_key=[redacted]&x=[redacted]" || str(o, "headers.X-Access-Key") != "[redacted]" ||
		str(o, "headers.Accept") != "application/json" {
		t.Errorf("read back %v", o)
	}
	dlv := ta.sendTest(t, key, id)
	r := rc.wait(t, n)
	if r.URL.RequestURI() != "/hook?api_key=abc&x=1" || r.Header.Get("X-Access-Key") != "s3cret" || r.Header.Get("Accept") != "application/json" {
		t.Errorf("received %s with %v", r.URL.RequestURI(), r.Header)
	}
	l := ta.attemptRequest(t, key, dlv)
	if str(l, "url") != rc.URL+"/hook?api_key=[redacted]&x=[redacted]" || str(l, "headers.X-Access-Key") != "[redacted]" ||
		str(l, "headers.Accept") != "application/json" || str(l, "headers.Content-Type") != "application/json" ||
		!strings.HasPrefix(str(l, "headers.User-Agent"), "wexio-webhooks/") {
		t.Errorf("attempt kept %v", l)
	}
}

// TestOutboundCredentialsAreSealed: a static header of any name but the
// harmless ones and the query values of the URL are stored sealed, read
// back as [redacted] and kept so in the attempt rows, and reach the
// receiver as given; sending back what was read keeps them, through a
// rotation too.
func TestOutboundCredentialsAreSealed(t *testing.T) {
	t.Parallel()
	ta := newOutboundApp(t)
	rc := newSealingReceiver(t)
	id := str(ta.ok(t, ta.key, createOutbound, map[string]any{"in": map[string]any{
		"name": "crm", "url": rc.URL + "/hook?api_key=abc&x=1", "events": []any{"*"},
		"headers": map[string]any{"X-Access-Key": "s3cret", "Accept": "application/json"}}}), "createOutboundWebhook.webhook.id")
	checkSealedDelivery(t, ta, ta.key, id, rc, 1)

	// A console sends back what it read.
	o := get(ta.ok(t, ta.key, outboundSettingsQuery, map[string]any{"id": id}), "node.outbound")
	ta.ok(t, ta.key, `mutation($id: ID!, $url: String, $h: JSON) { updateWebhook(id: $id, input: {url: $url, headers: $h}) { id } }`,
		map[string]any{"id": id, "url": str(o, "url"), "h": get(o, "headers")})
	ta.ok(t, ta.key, `mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }`, map[string]any{"id": id})
	checkSealedDelivery(t, ta, ta.key, id, rc, 2)

	files := string(ta.storedBytes(t))
	for _, s := range []string{"s3cret", "api_key=abc"} {
		if strings.Contains(files, s) {
			t.Errorf("the database holds %q", s)
		}
	}
}

// TestLegacyOutboundWebhooksAreSealedAtStart: a webhook stored before
// sealing, its header value and query in plain text, is sealed when a
// server starts on the database, and still delivers.
func TestLegacyOutboundWebhooksAreSealedAtStart(t *testing.T) {
	t.Parallel()
	rc := newSealingReceiver(t)
	url := dbtest.URL(t)
	ctx := context.Background()
	d, err := db.Open(ctx, url, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	keys := auth.NewService(d.Read, d.Write)
	_, key, err := keys.CreateWorkspace(ctx, "Old")
	if err != nil {
		t.Fatal(err)
	}
	wctx, err := keys.Authenticate(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	// As an earlier version stored it.
	w := d.Write.Webhook.Create().SetID(pulid.New("wh")).SetName("old").SetDirection(schematype.DirectionOutbound).
		SetURL(rc.URL + "/hook?api_key=abc&x=1").SetEvents([]string{"*"}).SetOutboundAuth(schematype.OutboundNone).
		SetHeaders(map[string]string{"X-Access-Key": "s3cret", "Accept": "application/json"}).SaveX(wctx)
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}

	ta := newTestAppWith(t, func(c *config.Config) {
		c.AllowPrivateNetworks = true
		c.DatabaseURL = url
	})
	checkSealedDelivery(t, ta, key, string(w.ID), rc, 1)
}
