package app

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/config"
	"github.com/wexio/webhooks/internal/testkit"
	"github.com/wexio/webhooks/internal/testkit/browser"
)

// The console's journeys, in Debian's Chromium against a real server on a
// temporary database, asserting on what a person sees: roles and
// accessible names (CONTRACT §9), never CSS classes.

// screenshot keeps a picture of the page from the last run under
// web/screenshots (git-ignored); the README shows two of them, copied to
// docs/images.
func screenshot(t *testing.T, p *browser.Page, name string) {
	dir := filepath.Join("..", "..", "web", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p.Screenshot(filepath.Join(dir, name+".png"))
}

// signIn opens the console and signs in with key.
func signIn(t *testing.T, ta *testApp, width, height int) *browser.Page {
	t.Helper()
	p := browser.Open(t, width, height)
	p.Go(ta.srv.URL + "/")
	p.Fill("textbox", "API key", ta.key)
	p.Click("button", "Sign in")
	p.Await("heading", "Webhooks & API")
	return p
}

func TestConsoleSignIn(t *testing.T) {
	browser.Path(t)
	t.Parallel()
	ta := newTestApp(t)
	p := browser.Open(t, 1280, 900)
	p.Go(ta.srv.URL + "/")
	// A refused key says so, and the person stays on sign-in.
	p.Fill("textbox", "API key", "wx_not_a_key")
	p.Click("button", "Sign in")
	p.AwaitText("The server refused this API key.")
	if p.Has("navigation", "Main") {
		t.Fatal("signed in with a refused key")
	}
	// By keyboard alone: the key typed, Enter submits.
	p.Fill("textbox", "API key", ta.key)
	p.Press("Enter")
	p.Await("heading", "Webhooks & API")
	// Tab reaches the navigation's links and the buttons in page order.
	seen := map[string]bool{}
	for range 8 {
		p.Press("Tab")
		_, name := p.Focused()
		seen[name] = true
	}
	for _, want := range []string{"Webhooks & API", "Events", "Flows", "Sign out", "New connection"} {
		if !seen[want] {
			t.Errorf("Tab never reached %q (reached %v)", want, seen)
		}
	}
	for _, name := range []string{"Webhooks & API", "Events", "Flows"} {
		p.Await("link", name)
	}
	// The key is in sessionStorage, never in the URL.
	if u := browser.Eval[string](p, `location.href`); strings.Contains(u, ta.key) {
		t.Fatalf("the key is in the URL %s", u)
	}
	if k := browser.Eval[string](p, `sessionStorage.getItem("wexio.apiKey") || ""`); k != ta.key {
		t.Fatalf("sessionStorage holds %q", k)
	}
	p.Await("button", "New connection")
	p.AwaitText("No connections yet")
	// Signing out forgets the key.
	p.Click("button", "Sign out")
	p.Await("button", "Sign in")
	if k := browser.Eval[string](p, `sessionStorage.getItem("wexio.apiKey") || ""`); k != "" {
		t.Fatalf("sessionStorage still holds %q after sign-out", k)
	}
}

// Inbound: create it, see the URL and secret once, capture its schema from
// a real request, watch a request arrive live and open it.
func TestConsoleInboundJourney(t *testing.T) {
	browser.Path(t)
	t.Parallel()
	ta := newTestApp(t)
	p := signIn(t, ta, 1280, 900)
	p.Click("button", "New connection")
	p.Click("radio", "Inbound")
	p.Fill("textbox", "Name", "Shop orders")
	p.Click("button", "Create")
	url, secret := p.Value("textbox", "URL"), p.Value("textbox", "Secret")
	if !strings.HasPrefix(url, ta.cfg.PublicURL+"/in/") || len(secret) < 32 {
		t.Fatalf("shown URL %q and secret %q", url, secret)
	}
	if n := p.Count("button", "Copy"); n != 2 {
		t.Fatalf("%d Copy buttons, want one for the URL and one for the secret", n)
	}
	screenshot(t, p, "new-connection-created")
	h := inHook{url: url, secret: secret, path: strings.TrimPrefix(url, ta.cfg.PublicURL)}

	p.Click("link", "Open Shop orders")
	p.Await("heading", "Shop orders")
	p.AwaitText(url) // the inbound URL, as text
	for _, b := range []string{"Capture schema", "Rotate secret", "Pause", "Delete"} {
		p.Await("button", b)
	}
	if p.Has("button", "Send test event") {
		t.Fatal("an inbound connection offers Send test event")
	}
	p.Await("region", "Logs")
	for _, col := range []string{"Time", "Outcome", "Status code"} {
		p.Await("columnheader", col)
	}
	p.AwaitText("No requests logged yet")

	// Settings are edited in place.
	p.Choose("Match contacts by", "Email")
	p.Fill("textbox", "Path in the payload", "customer.email")
	p.Click("button", "Save")
	p.AwaitText("Saved.")
	if got := str(ta.ok(t, ta.key, `query($id: ID!) { node(id: $id) { ... on Webhook { inbound { contactResolution { path } } } } }`,
		map[string]any{"id": ta.webhookID(t, "Shop orders")}), "node.inbound.contactResolution.path"); got != "customer.email" {
		t.Fatalf("contact resolution path saved = %q", got)
	}

	// Capture schema waits live for the next request, then shows its fields.
	p.Click("button", "Capture schema")
	p.AwaitText("Waiting for the next request")
	if r := ta.postJSON(t, h, `{"order":{"id":"o_1","total":12.5},"customer":{"email":"ada@example.com"}}`, nil); r.status != 202 {
		t.Fatalf("post: %d %s", r.status, r.body)
	}
	p.Await("table", "Captured fields")
	p.AwaitText("customer.email")
	p.AwaitText("Version 1")
	// The capture's tail ended, and with it the socket: nothing was lost.
	time.Sleep(300 * time.Millisecond)
	if strings.Contains(p.Text(), "reconnecting") {
		t.Fatal("a socket closed because nothing used it any more was said to be lost")
	}
	// A second capture is version 2; version 1 stays to be read.
	p.Click("button", "Capture schema")
	p.AwaitText("Waiting for the next request")
	if r := ta.postJSON(t, h, `{"refund":{"id":"r_1"}}`, nil); r.status != 202 {
		t.Fatalf("post: %d %s", r.status, r.body)
	}
	p.AwaitText("refund.id")
	p.Choose("Schema version", "Version 1")
	p.AwaitText("customer.email")

	// Live: a request posted now appears at the top without a reload.
	p.Click("switch", "Live")
	p.AwaitText("Streaming new rows")
	if r := ta.postJSON(t, h, `{"order":{"id":"o_2"}}`, nil); r.status != 202 {
		t.Fatalf("post: %d %s", r.status, r.body)
	}
	waitRows(t, p, 3, "ACCEPTED")
	screenshot(t, p, "connection")
	// A row opens the request and the response.
	openFirstLog(t, p)
	p.Await("heading", "Request")
	p.Await("heading", "Response")
	p.AwaitText(`"id": "o_2"`) // the body, pretty-printed
	// Nothing the pages loaded, over all these, came from another origin.
	if other := browser.Eval[[]string](p, `performance.getEntriesByType("resource").map(e => e.name)
		.filter(n => !n.startsWith(location.origin + "/"))`); len(other) > 0 {
		t.Fatalf("loaded from another origin: %v", other)
	}
	p.AwaitText("X-Webhook-Secret")
	if strings.Contains(p.Text(), secret) {
		t.Fatal("the page shows the secret in a logged request")
	}
}

// waitRows waits until the Logs table shows n rows with outcome.
func waitRows(t *testing.T, p *browser.Page, n int, outcome string) {
	t.Helper()
	for range 300 {
		if got := browser.Eval[int](p, `[...document.querySelectorAll('[aria-label="Logs"] tbody tr')]
			.filter(r => r.cells.length > 2 && r.cells[1].innerText.trim() === `+strconv.Quote(outcome)+`).length`); got >= n {
			return
		}
		sleep()
	}
	t.Fatalf("the logs never showed %d %s rows; the page says:\n%s", n, outcome, p.Text())
}

// confirmDelete deletes what the page shows, named name, through its
// confirmation, which must name it.
func confirmDelete(p *browser.Page, name string) {
	p.Click("button", "Delete")
	p.Await("alertdialog", "Delete "+name+"?")
	p.Click("button", "Delete "+name)
}

// openFirstLog opens the newest log row (its time is a button).
func openFirstLog(t *testing.T, p *browser.Page) {
	t.Helper()
	browser.Eval[bool](p, `(document.querySelector('[aria-label="Logs"] tbody tr button[aria-expanded]').click(), true)`)
}

func sleep() { time.Sleep(50 * time.Millisecond) }

// Outbound: a refused URL said next to the form, then created with its
// secret shown once, a test event sent and its attempt opened, retried,
// paused and resumed, its secret rotated, deleted after a confirmation.
func TestConsoleOutboundJourney(t *testing.T) {
	browser.Path(t)
	t.Parallel()
	var got atomic.Int64
	var team atomic.Value // the X-Team header of the last request
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		team.Store(r.Header.Get("X-Team"))
		got.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"received":true}`)
	}))
	defer receiver.Close()
	ta := newTestAppWith(t, func(c *config.Config) { c.AllowPrivateNetworks = true })
	p := signIn(t, ta, 1280, 900)
	p.Click("button", "New connection")
	p.Click("radio", "Outbound")
	p.Fill("textbox", "Name", "CRM sync")
	// Static headers that are not a JSON object are said at once, before
	// anything is sent.
	p.Fill("textbox", "URL", receiver.URL+"/hook")
	p.Fill("textbox", "Static headers (JSON)", `{"X-Team": billing}`)
	p.Click("button", "Create")
	p.AwaitText("Headers must be a JSON object")
	p.Fill("textbox", "Static headers (JSON)", `{"X-Team": "billing"}`)
	p.Fill("textbox", "URL", "ftp://example.com/hook")
	p.Click("button", "Create")
	p.Await("alert", "") // the server's refusal, next to the form
	if !strings.Contains(strings.ToLower(p.Text()), "url") {
		t.Fatalf("the refusal does not say what is wrong:\n%s", p.Text())
	}
	if p.Value("textbox", "Name") != "CRM sync" {
		t.Fatal("the name typed was lost on a failed submit")
	}
	p.Fill("textbox", "URL", receiver.URL+"/hook")
	p.Fill("spinbutton", "Retries", "") // emptied: the server's default, not zero
	p.Click("button", "Create")
	secret := p.Value("textbox", "Secret")
	if n := get(ta.ok(t, ta.key, `query($id: ID!) { node(id: $id) { ... on Webhook { outbound { maxRetries } } } }`,
		map[string]any{"id": ta.webhookID(t, "CRM sync")}), "node.outbound.maxRetries"); n != float64(ta.cfg.OutboundMaxRetries) {
		t.Fatalf("retries left empty gave %v, want the default %d", n, ta.cfg.OutboundMaxRetries)
	}
	if !strings.HasPrefix(secret, "whsec_") {
		t.Fatalf("outbound secret shown = %q", secret)
	}
	p.Await("button", "Copy")
	p.Click("button", "Send test event")
	p.AwaitText("Test event queued")
	testkit.Eventually(t, "the test event at the receiver", func() bool { return got.Load() > 0 })
	if v, _ := team.Load().(string); v != "billing" {
		t.Fatalf("the test event's X-Team header = %q, want the static header typed", v)
	}

	p.Click("link", "Open CRM sync")
	p.Await("heading", "CRM sync")
	p.Await("heading", "Health")
	p.AwaitText("HEALTHY")
	for _, b := range []string{"Send test event", "Rotate secret", "Pause", "Delete"} {
		p.Await("button", b)
	}
	if p.Has("button", "Capture schema") {
		t.Fatal("an outbound connection offers Capture schema")
	}
	p.Click("switch", "Live") // reads the list again: the test's attempt is there by now or streams in
	waitRows(t, p, 1, "SUCCEEDED")
	openFirstLog(t, p)
	p.Await("heading", "Request")
	p.Await("heading", "Response")
	p.AwaitText(`"received": true`)
	if strings.Contains(p.Text(), secret) {
		t.Fatal("the page shows the signing secret in a logged attempt")
	}
	before := got.Load()
	p.Click("button", "Retry")
	p.AwaitText("Retry queued")
	testkit.Eventually(t, "the retry at the receiver", func() bool { return got.Load() > before })

	// Replay: the deliveries of the last hour's events, succeeded ones too,
	// sent again, through the webhook's limits.
	before = got.Load()
	// Chromium's role for a date-time field is its own ("DateTime").
	p.On(p.Await("DateTime", "Events since"), `function() {
		const d = new Date(Date.now() - 3600e3), pad = n => String(n).padStart(2, "0");
		this.value = d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" + pad(d.getHours()) + ":" + pad(d.getMinutes());
		this.dispatchEvent(new Event("input", {bubbles: true}));
	}`, nil)
	p.Click("checkbox", "Succeeded ones too, not only failed")
	p.Click("button", "Replay")
	p.AwaitText("1 delivery queued again.")
	testkit.Eventually(t, "the replay at the receiver", func() bool { return got.Load() > before })

	// Settings: saved in place; a refused value is said next to the form
	// and what was typed stays.
	p.Fill("spinbutton", "Retries", "7")
	p.Fill("spinbutton", "Attempts a second at most", "10")
	p.Click("button", "Save")
	p.AwaitText("Saved.")
	p.Fill("spinbutton", "Attempts in flight at most", "100000")
	p.Click("button", "Save")
	p.Await("alert", "")
	if v := p.Value("spinbutton", "Attempts in flight at most"); v != "100000" {
		t.Fatalf("the refused value was lost: %q", v)
	}
	p.Fill("spinbutton", "Attempts in flight at most", "16")

	p.Click("button", "Pause")
	p.Await("button", "Resume")
	p.AwaitText("PAUSED")
	p.Click("button", "Resume")
	p.Await("button", "Pause")

	p.Click("button", "Rotate secret")
	p.Choose("Keep the old secret valid for", "1 hour")
	p.Click("button", "Rotate")
	if s := p.Value("textbox", "Your new secret"); !strings.HasPrefix(s, "whsec_") || s == secret {
		t.Fatalf("rotated secret shown = %q", s)
	}

	confirmDelete(p, "CRM sync")
	p.Await("heading", "Webhooks & API")
	p.AwaitText("No connections yet")
}

// Flows: a Webhook Received flow made in the editor, its template filled
// from the variable picker; a request then runs it, and Events shows what
// it emitted and what became of its delivery.
func TestConsoleFlowsAndEvents(t *testing.T) {
	browser.Path(t)
	t.Parallel()
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer receiver.Close()
	ta := newTestAppWith(t, func(c *config.Config) { c.AllowPrivateNetworks = true })
	h := ta.createIn(t, ta.key, map[string]any{"name": "Orders", "capture": true})
	ta.ok(t, ta.key, `mutation($in: CreateOutboundWebhookInput!) { createOutboundWebhook(input: $in) { webhook { id } } }`,
		map[string]any{"in": map[string]any{"name": "Warehouse", "url": receiver.URL, "events": []string{"flow.*"}}})
	if r := ta.postJSON(t, h, `{"order":{"id":"o_1","total":3}}`, nil); r.status != 202 {
		t.Fatalf("post: %d %s", r.status, r.body)
	}
	var variable string
	for _, v := range get(ta.ok(t, ta.key, `query($id: ID!) { node(id: $id) { ... on Webhook { variables } } }`,
		map[string]any{"id": h.id}), "node.variables").([]any) {
		if strings.HasSuffix(v.(string), "order.id") {
			variable = v.(string)
		}
	}
	if variable == "" {
		t.Fatal("no order.id among the captured variables")
	}

	p := signIn(t, ta, 1280, 900)
	p.Click("link", "Flows")
	p.Await("heading", "Flows")
	p.AwaitText("No flows yet")
	p.Click("button", "New flow")
	p.Await("heading", "New flow")
	p.Fill("textbox", "Name", "Paid")
	p.Choose("Connection", "Orders")
	p.Fill("textbox", "Event name", "order_paid")
	p.Fill("textbox", "Event data (JSON template)", `{"order": ""}`)
	// The picker inserts where the cursor is: inside the quotes.
	p.On(p.Await("textbox", "Event data (JSON template)"), `function() { this.focus(); this.setSelectionRange(11, 11); }`, nil)
	p.Click("button", variable)
	if v := p.Value("textbox", "Event data (JSON template)"); v != `{"order": "{{`+variable+`}}"}` {
		t.Fatalf("template after picking %s = %q", variable, v)
	}
	screenshot(t, p, "flow-editor")
	p.Click("button", "Create")
	p.Await("heading", "Edit flow")
	// Edited and saved again.
	p.Fill("textbox", "Name", "Paid orders")
	p.Click("button", "Save")
	p.AwaitText("Saved.")
	p.Click("link", "Flows")
	p.Await("link", "Paid orders")

	// The flow runs on the next request and emits flow.order_paid.
	if r := ta.postJSON(t, h, `{"order":{"id":"o_42"}}`, nil); r.status != 202 {
		t.Fatalf("post: %d %s", r.status, r.body)
	}
	p.Click("link", "Events")
	p.Await("heading", "Events")
	for i := 0; !strings.Contains(p.Text(), "flow.order_paid"); i++ {
		if i > 100 {
			t.Fatalf("flow.order_paid never listed:\n%s", p.Text())
		}
		p.Reload() // as a person would
		p.Await("heading", "Events")
		sleep()
	}
	for _, col := range []string{"Type", "Deliveries"} {
		p.Await("columnheader", col)
	}
	// Filtered by type: a pattern no event matches, then one that does.
	p.Fill("searchbox", "Type", "contact.*")
	p.AwaitText("No events of this type.")
	p.Fill("searchbox", "Type", "flow.*")
	p.Await("button", "flow.order_paid")
	// Its delivery to the subscribed webhook, and that delivery's attempts.
	// Opened, it follows its delivery until it is done: the page reads
	// again while one is pending.
	p.Click("button", "flow.order_paid")
	p.Await("table", "Attempts to Warehouse")
	p.AwaitText("SUCCEEDED")
	screenshot(t, p, "events")

	// A new outbound connection is offered the flow's event by name.
	p.Click("link", "Webhooks & API")
	p.Click("button", "New connection")
	p.Click("radio", "Outbound")
	p.Await("checkbox", "flow.order_paid")

	// A flow is deleted after a confirmation naming it.
	p.Click("link", "Flows")
	p.Click("link", "Paid orders")
	p.Await("heading", "Edit flow")
	confirmDelete(p, "Paid orders")
	p.Await("heading", "Flows")
	p.AwaitText("No flows yet")
}

// The list with 1,000 connections: its first load is timed (under 1 s on
// the development machine; logged, not asserted: speed targets are not
// unit tests), it pages 50 at a time, newest first, and filters by
// direction and status. At 390 px wide nothing but the table scrolls
// sideways.
func TestConsoleListOfAThousand(t *testing.T) {
	browser.Path(t)
	t.Parallel()
	ta := newTestApp(t)
	const n = 1000
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := w; i < n; i += 8 {
				in := map[string]any{"name": fmt.Sprintf("hook %04d", i)}
				if i%10 == 0 {
					ta.ok(t, ta.key, createOutbound, map[string]any{"in": map[string]any{
						"name": in["name"], "url": "https://example.com/h", "events": []string{"*"}}})
					continue
				}
				ta.createIn(t, ta.key, in)
			}
		})
	}
	wg.Wait()
	paused := ta.createIn(t, ta.key, map[string]any{"name": "the paused one"})
	ta.ok(t, ta.key, `mutation($id: ID!) { setWebhookStatus(id: $id, status: PAUSED) { id } }`, map[string]any{"id": paused.id})

	p := signIn(t, ta, 1280, 900)
	p.Reload()
	p.Await("heading", "Webhooks & API")
	// From the start of the navigation to the first row on screen.
	ms := browser.Eval[float64](p, `new Promise(resolve => {
		const done = () => document.querySelector('table tbody tr a');
		if (done()) return resolve(performance.now());
		new MutationObserver((_, o) => { if (done()) { o.disconnect(); resolve(performance.now()); } })
			.observe(document.body, {childList: true, subtree: true});
	})`)
	t.Logf("first load of the list of %d connections: %.0f ms after navigation start", n+1, ms)
	for _, col := range []string{"Name", "Direction", "Status", "Schema", "Flows"} {
		p.Await("columnheader", col)
	}
	p.AwaitText(fmt.Sprintf("%d connections", n+1))
	if got := p.Count("link", ""); got < 50 {
		t.Fatalf("%d links on the first page", got)
	}
	first := browser.Eval[string](p, `document.querySelector('table tbody tr a').textContent`)
	if first != "the paused one" {
		t.Fatalf("first row %q, want the newest", first)
	}
	const names = `[...document.querySelectorAll('table tbody tr a')].map(a => a.textContent)`
	page1 := browser.Eval[[]string](p, names)
	p.Click("button", "Next page")
	p.AwaitText("Page 2")
	p.AwaitGone("link", page1[0])
	page2 := browser.Eval[[]string](p, names)
	if len(page1) != 50 || len(page2) != 50 || slices.ContainsFunc(page2, func(s string) bool { return slices.Contains(page1, s) }) {
		t.Fatalf("pages of %d and %d rows, or sharing rows:\n%v\n%v", len(page1), len(page2), page1, page2)
	}
	p.Choose("Status", "Paused")
	p.AwaitText("1 connection")
	p.Await("link", "the paused one")
	p.Choose("Status", "All")
	// An outbound connection whose receiver fails says so in the list.
	ta.exec(t, `UPDATE webhooks SET health = 'FAILING' WHERE name = 'hook 0990'`)
	p.Choose("Direction", "Outbound")
	const statusOf0990 = `(() => { for (const r of document.querySelectorAll('table tbody tr'))
		if (r.cells[0].innerText === 'hook 0990') return r.cells[2].innerText; return ''; })()`
	testkit.Eventually(t, "FAILING in hook 0990's status cell", func() bool {
		return strings.Contains(browser.Eval[string](p, statusOf0990), "FAILING")
	})
	p.AwaitText(fmt.Sprintf("%d connections", n/10))
	screenshot(t, p, "webhooks")

	// Narrow: the page itself does not scroll sideways.
	m := browser.Open(t, 390, 844)
	m.Go(ta.srv.URL + "/")
	m.Fill("textbox", "API key", ta.key)
	m.Click("button", "Sign in")
	m.Await("heading", "Webhooks & API")
	m.Await("link", "the paused one")
	narrow := func(page string) {
		t.Helper()
		if browser.Eval[bool](m, `document.documentElement.scrollWidth > window.innerWidth + 1`) {
			t.Fatalf("at 390 px %s is %d px wide", page, browser.Eval[int](m, `document.documentElement.scrollWidth`))
		}
	}
	narrow("the list")
	screenshot(t, m, "webhooks-390")
	m.Click("link", "the paused one")
	m.Await("heading", "the paused one")
	m.Await("region", "Logs")
	narrow("a connection's page")
	m.Click("link", "Webhooks & API")
	m.Click("button", "New connection")
	m.Click("radio", "Outbound")
	m.Await("textbox", "URL")
	narrow("New connection")
}

// Faults: a lost WebSocket is said and reconnected by itself, and the live
// tail goes on after it; a key revoked while signed in sends the person
// back to sign-in, saying why.
func TestConsoleFaults(t *testing.T) {
	browser.Path(t)
	t.Parallel()
	ta := newTestApp(t)
	h := ta.createIn(t, ta.key, map[string]any{"name": "Faulty"})
	p := signIn(t, ta, 1280, 900)
	p.Click("link", "Faulty")
	p.Click("switch", "Live")
	p.AwaitText("Streaming new rows")
	// Whether the header ever said the connection was lost.
	browser.Eval[bool](p, `(window.sawReconnecting = false,
		new MutationObserver(() => { if (document.body.innerText.includes("reconnecting")) window.sawReconnecting = true; })
			.observe(document.body, {childList: true, subtree: true, characterData: true}), true)`)
	ta.sockets.GoingAway("test: the server went away")
	testkit.Eventually(t, "the lost connection said", func() bool { return browser.Eval[bool](p, `window.sawReconnecting`) })
	p.AwaitNoText("reconnecting")
	p.AwaitText("Streaming new rows")
	// The tail resumed on the new connection.
	for i := 0; ; i++ {
		if r := ta.postJSON(t, h, fmt.Sprintf(`{"n":%d}`, i), nil); r.status != 202 {
			t.Fatalf("post: %d", r.status)
		}
		if browser.Eval[int](p, `document.querySelectorAll('[aria-label="Logs"] tbody tr button[aria-expanded]').length`) > 0 {
			break
		}
		if i > 50 {
			t.Fatalf("no row arrived after the reconnection:\n%s", p.Text())
		}
		time.Sleep(200 * time.Millisecond)
	}

	// Deleted meanwhile (by another person, say): an action on it says so
	// where it was taken.
	ta.ok(t, ta.key, `mutation($id: ID!) { deleteWebhook(id: $id) }`, map[string]any{"id": h.id})
	p.Click("button", "Pause")
	p.Await("alert", "")
	p.AwaitText("not found")

	// The key is revoked: the next request sends the person to sign-in.
	ta.exec(t, `DELETE FROM api_keys`)
	p.Click("link", "Events")
	p.Await("button", "Sign in")
	p.AwaitText("Your API key was refused; sign in again.")
	if k := browser.Eval[string](p, `sessionStorage.getItem("wexio.apiKey") || ""`); k != "" {
		t.Fatal("the refused key is still kept")
	}
}

// webhookID is the id of the caller's webhook called name.
func (ta *testApp) webhookID(t *testing.T, name string) string {
	t.Helper()
	d := ta.ok(t, ta.key, `query($n: String) { webhooks(first: 1, where: {name: $n}) { edges { node { id } } } }`, map[string]any{"n": name})
	edges := get(d, "webhooks.edges").([]any)
	if len(edges) != 1 {
		t.Fatalf("no webhook %q", name)
	}
	return str(edges[0], "node.id")
}

// New connection with a provider preset (searched, with what to paste and
// the provider's docs) and with generic HMAC parameters.
func TestConsolePresetsAndHMAC(t *testing.T) {
	browser.Path(t)
	t.Parallel()
	ta := newTestApp(t)
	p := signIn(t, ta, 1280, 900)
	p.Click("button", "New connection")
	p.Fill("textbox", "Name", "Repo events")
	p.Choose("Authentication", "A provider preset")
	p.Fill("searchbox", "Search presets", "git")
	p.Click("radio", "GitHub")
	if p.Has("radio", "Stripe") {
		t.Fatal("the search kept presets that do not match")
	}
	p.Await("link", "GitHub's documentation")
	var label string
	for _, pr := range get(ta.ok(t, ta.key, `{ authPresets { key secretLabel } }`, nil), "authPresets").([]any) {
		if str(pr, "key") == "github" {
			label = str(pr, "secretLabel")
		}
	}
	p.AwaitText("Paste " + label)
	p.Fill("textbox", label, "gh-webhook-secret")
	p.Click("button", "Create")
	p.Await("textbox", "URL")
	if p.Has("textbox", "Secret") {
		t.Fatal("a provider's secret was shown back")
	}
	d := ta.ok(t, ta.key, `query($id: ID!) { node(id: $id) { ... on Webhook { inbound { auth { mode preset secretHint } } } } }`,
		map[string]any{"id": ta.webhookID(t, "Repo events")})
	if str(d, "node.inbound.auth.preset") != "github" || str(d, "node.inbound.auth.secretHint") != "cret" {
		t.Fatalf("created auth = %v", get(d, "node.inbound.auth"))
	}

	p.Click("link", "Webhooks & API")
	p.Click("button", "New connection")
	p.Fill("textbox", "Name", "Custom signer")
	p.Choose("Authentication", "Generic HMAC")
	p.Fill("textbox", "Secret", "s3cr3t-value")
	p.Fill("textbox", "Signature header", "X-Sig")
	p.Choose("Algorithm", "SHA512")
	p.Choose("Encoding", "BASE64")
	p.Fill("textbox", "Prefix", "sha512=")
	p.Click("button", "Create")
	p.Await("textbox", "URL")
	d = ta.ok(t, ta.key, `query($id: ID!) { node(id: $id) { ... on Webhook { inbound { auth { mode hmac { header algorithm encoding prefix } } } } } }`,
		map[string]any{"id": ta.webhookID(t, "Custom signer")})
	if h := get(d, "node.inbound.auth.hmac"); str(d, "node.inbound.auth.mode") != "GENERIC_HMAC" || str(h, "header") != "X-Sig" ||
		str(h, "algorithm") != "SHA512" || str(h, "encoding") != "BASE64" || str(h, "prefix") != "sha512=" {
		t.Fatalf("created auth = %v", get(d, "node.inbound.auth"))
	}
}

// A live tail at a flood: the server ends it (SLOW_SUBSCRIBER), the page
// says so and resumes, and it keeps at most its cap of live rows; the
// page answers throughout. Below that, more rows come on scroll.
func TestConsoleTailFloodAndScroll(t *testing.T) {
	browser.Path(t)
	t.Parallel()
	ta := newTestApp(t)
	h := ta.createIn(t, ta.key, map[string]any{"name": "Busy"})
	for i := range 60 {
		if r := ta.postJSON(t, h, fmt.Sprintf(`{"n":%d}`, i), nil); r.status != 202 {
			t.Fatalf("post: %d", r.status)
		}
	}
	p := signIn(t, ta, 1280, 900)
	p.Click("link", "Busy")
	// 50 rows, then the rest as the end of the list comes into view.
	waitRows(t, p, 50, "ACCEPTED")
	browser.Eval[bool](p, `(window.scrollTo(0, document.body.scrollHeight), true)`)
	waitRows(t, p, 60, "ACCEPTED")

	p.Click("switch", "Live")
	p.AwaitText("Streaming new rows")
	ws := get(ta.ok(t, ta.key, `{ viewer { workspace { id } } }`, nil), "viewer.workspace.id").(string)
	rows := func(n int) []*ent.WebhookLog {
		out := make([]*ent.WebhookLog, n)
		for i := range out {
			out[i] = &ent.WebhookLog{ID: pulid.New("log"), WorkspaceID: pulid.ID(ws), WebhookID: pulid.ID(h.id),
				Direction: schematype.DirectionInbound, Outcome: schematype.OutcomeAccepted, OccurredAt: time.Now()}
		}
		return out
	}
	// 1,000 rows a second for 3 s: the page keeps answering, and keeps its
	// cap of live rows.
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for range 300 {
			<-tick.C
			ta.tail.Publish(rows(10)...)
		}
	}()
	var slowest time.Duration
	for waiting := true; waiting; {
		select {
		case <-done:
			waiting = false
		default:
		}
		start := time.Now()
		browser.Eval[int](p, `1`)
		slowest = max(slowest, time.Since(start))
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("at 1,000 rows a second the page answered within %v at worst", slowest)
	p.AwaitText("Streaming new rows")
	if n := browser.Eval[int](p, `document.querySelectorAll('[aria-label="Logs"] tbody tr button[aria-expanded]').length`); n > 500+60 {
		t.Fatalf("%d rows on the page after 3,000 live ones: not capped", n)
	}

	ta.tail.Publish(rows(5000)...) // faster than any socket: the subscriber falls behind
	p.AwaitText("The live tail fell behind")
	p.AwaitText("Streaming new rows")
	if n := browser.Eval[int](p, `document.querySelectorAll('[aria-label="Logs"] tbody tr button[aria-expanded]').length`); n > 500+60 {
		t.Fatalf("%d rows on the page: the live rows are not capped", n)
	}
	// Resumed, the list read again from its first page: a new request
	// still arrives, on top.
	waitRows(t, p, 50, "ACCEPTED")
	before := browser.Eval[int](p, `document.querySelectorAll('[aria-label="Logs"] tbody tr button[aria-expanded]').length`)
	if r := ta.postJSON(t, h, `{"after":"flood"}`, nil); r.status != 202 {
		t.Fatalf("post: %d", r.status)
	}
	waitRows(t, p, before+1, "ACCEPTED")
}
