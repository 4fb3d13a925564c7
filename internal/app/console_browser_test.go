package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wexio/webhooks/internal/testkit/browser"
)

// The console's journeys, in Debian's Chromium against a real server on a
// temporary database, asserting on what a person sees: roles and
// accessible names (CONTRACT §9), never CSS classes.

// screenshot keeps a picture of the page under web/screenshots (git-ignored)
// when WEXIO_CONSOLE_SCREENSHOTS is set.
func screenshot(t *testing.T, p *browser.Page, name string) {
	if os.Getenv("WEXIO_CONSOLE_SCREENSHOTS") == "" {
		return
	}
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
	p.Fill("textbox", "API key", ta.key)
	p.Click("button", "Sign in")
	p.Await("heading", "Webhooks & API")
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
	p.AwaitText("No requests logged yet")

	// Capture schema waits live for the next request, then shows its fields.
	p.Click("button", "Capture schema")
	p.AwaitText("Waiting for the next request")
	if r := ta.postJSON(t, h, `{"order":{"id":"o_1","total":12.5},"customer":{"email":"ada@example.com"}}`, nil); r.status != 202 {
		t.Fatalf("post: %d %s", r.status, r.body)
	}
	p.Await("table", "Captured fields")
	p.AwaitText("customer.email")
	p.AwaitText("Version 1")

	// Live: a request posted now appears at the top without a reload.
	p.Click("switch", "Live")
	p.AwaitText("Streaming new rows")
	if r := ta.postJSON(t, h, `{"order":{"id":"o_2"}}`, nil); r.status != 202 {
		t.Fatalf("post: %d %s", r.status, r.body)
	}
	waitRows(t, p, 2)
	screenshot(t, p, "connection")
	// A row opens the request and the response.
	openFirstLog(t, p)
	p.Await("heading", "Request")
	p.Await("heading", "Response")
	p.AwaitText(`"id": "o_2"`) // the body, pretty-printed
	p.AwaitText("X-Webhook-Secret")
	if strings.Contains(p.Text(), secret) {
		t.Fatal("the page shows the secret in a logged request")
	}
}

// waitRows waits until the Logs region's table has n rows of logs.
func waitRows(t *testing.T, p *browser.Page, n int) {
	t.Helper()
	p.AwaitText("ACCEPTED")
	for range 300 {
		if got := browser.Eval[int](p, `[...document.querySelectorAll('[aria-label="Logs"] tbody tr')].filter(r => r.cells.length > 2).length`); got >= n {
			return
		}
		sleep()
	}
	t.Fatalf("the logs never showed %d rows; the page says:\n%s", n, p.Text())
}

// openFirstLog opens the newest log row (its time is a button).
func openFirstLog(t *testing.T, p *browser.Page) {
	t.Helper()
	browser.Eval[bool](p, `(document.querySelector('[aria-label="Logs"] tbody tr button[aria-expanded]').click(), true)`)
}

func sleep() { time.Sleep(50 * time.Millisecond) }
