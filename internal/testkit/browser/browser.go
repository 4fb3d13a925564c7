// Package browser drives Debian's Chromium headless for the console's
// end-to-end tests, finding controls as a person or a screen reader does:
// by role and accessible name, from the browser's own accessibility tree,
// never by CSS classes.
package browser

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// RequireEnv makes a missing Chromium fail the tests instead of skipping
// them: CI sets it, where the browser tests must run.
const RequireEnv = "WEXIO_TEST_REQUIRE_CHROMIUM"

// Wait is how long a page has to show what a test waits for.
const Wait = 15 * time.Second

// Page is one browser tab.
type Page struct {
	t   testing.TB
	ctx context.Context
}

// Path finds Chromium, skipping t with one line saying how to enable the
// tests when there is none (failing it under RequireEnv).
func Path(t testing.TB) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv(RequireEnv) != "" {
		t.Fatalf("no Chromium, and %s is set: apt-get install chromium", RequireEnv)
	}
	t.Skip("skipping the console's browser tests: no Chromium (apt-get install chromium to run them)")
	return ""
}

// Open starts a headless Chromium whose viewport is width×height and
// returns its tab; both close when t ends.
func Open(t testing.TB, width, height int) *Page {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(Path(t)),
		chromedp.NoSandbox, // CI runs as root
		chromedp.DisableGPU,
		// This machine's network is closed: Chromium's own calls home fail
		// by the dozen and slow it down.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(width, height),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	p := &Page{t: t, ctx: ctx}
	p.Do(chromedp.EmulateViewport(int64(width), int64(height)))
	return p
}

// Do runs actions, failing the test on error.
func (p *Page) Do(actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, actions...); err != nil {
		p.t.Fatalf("browser: %v", err)
	}
}

// Go loads url.
func (p *Page) Go(url string) {
	p.t.Helper()
	p.Do(chromedp.Navigate(url))
}

// call sends one protocol command on the tab.
func call[P, R any](ctx context.Context, c cdp.Command[P, R], params P) (R, error) {
	return chromedp.Run(ctx, func(ctx context.Context, t *chromedp.Target) (R, error) {
		return cdp.Call(ctx, t, c, params)
	})
}

// find returns the DOM nodes of the unignored accessibility nodes with role
// and, when given, name.
func (p *Page) find(role, name string) ([]cdp.BackendNodeID, error) {
	doc, err := call(p.ctx, dom.GetDocument, dom.GetDocumentParams{})
	if err != nil {
		return nil, err
	}
	res, err := call(p.ctx, accessibility.QueryAXTree, accessibility.QueryAXTreeParams{
		BackendNodeID: doc.Root.BackendNodeID, Role: role, AccessibleName: name})
	if err != nil {
		return nil, err
	}
	var out []cdp.BackendNodeID
	for _, n := range res.Nodes {
		if !n.Ignored && n.BackendDOMNodeID != 0 {
			out = append(out, n.BackendDOMNodeID)
		}
	}
	return out, nil
}

// Count is how many controls with role and name are on the page now.
func (p *Page) Count(role, name string) int {
	p.t.Helper()
	ids, err := p.find(role, name)
	if err != nil {
		p.t.Fatalf("browser: %v", err)
	}
	return len(ids)
}

// Has reports whether a control with role and name is on the page now.
func (p *Page) Has(role, name string) bool { return p.Count(role, name) > 0 }

// Await waits until a control with role and name shows, failing after Wait.
func (p *Page) Await(role, name string) cdp.BackendNodeID {
	p.t.Helper()
	var id cdp.BackendNodeID
	err := poll(func() (bool, error) {
		ids, err := p.find(role, name)
		if len(ids) > 0 {
			id = ids[0]
		}
		return len(ids) > 0, err
	})
	if err != nil {
		p.t.Fatalf("no %s %q after %s (%v); the page says:\n%s", role, name, Wait, err, p.Text())
	}
	return id
}

// AwaitGone waits until no control with role and name is left.
func (p *Page) AwaitGone(role, name string) {
	p.t.Helper()
	if err := poll(func() (bool, error) {
		ids, err := p.find(role, name)
		return len(ids) == 0, err
	}); err != nil {
		p.t.Fatalf("%s %q still there after %s (%v)", role, name, Wait, err)
	}
}

// poll calls f every 50 ms until it reports done, for Wait at most.
func poll(f func() (bool, error)) error {
	deadline := time.Now().Add(Wait)
	for {
		done, err := f()
		if done {
			return nil
		}
		if time.Now().After(deadline) {
			return errors.Join(errors.New("timed out"), err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// On runs a JavaScript function with the DOM node id as this and returns
// its result, decoded into out when not nil.
func (p *Page) On(id cdp.BackendNodeID, fn string, out any) {
	p.t.Helper()
	node, err := call(p.ctx, dom.ResolveNode, dom.ResolveNodeParams{BackendNodeID: id})
	if err != nil {
		p.t.Fatalf("browser: resolving a node: %v", err)
	}
	byValue := true
	res, err := call(p.ctx, runtime.CallFunctionOn, runtime.CallFunctionOnParams{
		FunctionDeclaration: fn, ObjectID: node.Object.ObjectID, ReturnByValue: &byValue})
	if err != nil {
		p.t.Fatalf("browser: %v", err)
	}
	if res.ExceptionDetails != nil {
		p.t.Fatalf("browser: %s: %s", fn, res.ExceptionDetails.Text)
	}
	if out != nil && res.Result != nil && len(res.Result.Value) > 0 {
		if err := json.Unmarshal([]byte(res.Result.Value), out); err != nil {
			p.t.Fatalf("browser: decoding %s: %v", res.Result.Value, err)
		}
	}
}

// Click clicks the control with role and name once it shows.
func (p *Page) Click(role, name string) {
	p.t.Helper()
	p.On(p.Await(role, name), `function() { this.scrollIntoView({block: "center"}); this.click(); }`, nil)
}

// Fill replaces the value of the field with role and name by text, typed
// as a person's keyboard would insert it.
func (p *Page) Fill(role, name, text string) {
	p.t.Helper()
	p.On(p.Await(role, name), `function() { this.focus(); if (this.select) this.select(); }`, nil)
	if _, err := call(p.ctx, input.DispatchKeyEvent, input.DispatchKeyEventParams{
		Type: input.DispatchKeyEventTypeRawKeyDown, Key: "Backspace", Code: "Backspace", WindowsVirtualKeyCode: 8}); err != nil {
		p.t.Fatalf("browser: %v", err)
	}
	if _, err := call(p.ctx, input.DispatchKeyEvent, input.DispatchKeyEventParams{
		Type: input.DispatchKeyEventTypeKeyUp, Key: "Backspace", Code: "Backspace", WindowsVirtualKeyCode: 8}); err != nil {
		p.t.Fatalf("browser: %v", err)
	}
	if text != "" {
		if _, err := call(p.ctx, input.InsertText, input.InsertTextParams{Text: text}); err != nil {
			p.t.Fatalf("browser: %v", err)
		}
	}
}

// Choose picks the option labelled label in the combobox with name, once
// the option is there (options can come with a query's answer).
func (p *Page) Choose(name, label string) {
	p.t.Helper()
	id := p.Await("combobox", name)
	err := poll(func() (bool, error) {
		var found bool
		p.On(id, `function() {
			const o = [...this.options].find(o => o.label === `+strconv.Quote(label)+`);
			if (!o) return false;
			this.value = o.value;
			this.dispatchEvent(new Event("change", {bubbles: true}));
			return true;
		}`, &found)
		return found, nil
	})
	if err != nil {
		p.t.Fatalf("no option %q in %q after %s", label, name, Wait)
	}
}

// Value is the value of the field with role and name.
func (p *Page) Value(role, name string) string {
	p.t.Helper()
	var v string
	p.On(p.Await(role, name), `function() { return this.value; }`, &v)
	return v
}

// Text is the page's visible text.
func (p *Page) Text() string {
	s, _ := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	return s
}

// AwaitText waits until the page's visible text holds s.
func (p *Page) AwaitText(s string) {
	p.t.Helper()
	if err := poll(func() (bool, error) { return strings.Contains(p.Text(), s), nil }); err != nil {
		p.t.Fatalf("%q not on the page after %s; it says:\n%s", s, Wait, p.Text())
	}
}

// Eval evaluates a JavaScript expression.
func Eval[T any](p *Page, expr string) T {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatalf("browser: %s: %v", expr, err)
	}
	return v
}

// Screenshot writes a PNG of the whole page to path.
func (p *Page) Screenshot(path string) {
	p.t.Helper()
	png, err := chromedp.Run(p.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		p.t.Fatalf("browser: screenshot: %v", err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		p.t.Fatalf("writing screenshot: %v", err)
	}
}

// Reload reloads the page, as a person's F5 does.
func (p *Page) Reload() {
	p.t.Helper()
	p.Do(chromedp.Reload())
}

// Press presses and releases a key (e.g. "Enter", "Tab") where the focus
// is, as a keyboard does.
func (p *Page) Press(key string) {
	p.t.Helper()
	codes := map[string]int64{"Enter": 13, "Tab": 9, "Escape": 27, " ": 32}
	text := map[string]string{"Enter": "\r", " ": " "}[key]
	down := input.DispatchKeyEventParams{Type: input.DispatchKeyEventTypeKeyDown, Key: key, Code: key,
		WindowsVirtualKeyCode: codes[key], Text: text}
	if text == "" {
		down.Type = input.DispatchKeyEventTypeRawKeyDown
	}
	if _, err := call(p.ctx, input.DispatchKeyEvent, down); err != nil {
		p.t.Fatalf("browser: %v", err)
	}
	up := input.DispatchKeyEventParams{Type: input.DispatchKeyEventTypeKeyUp, Key: key, Code: key, WindowsVirtualKeyCode: codes[key]}
	if _, err := call(p.ctx, input.DispatchKeyEvent, up); err != nil {
		p.t.Fatalf("browser: %v", err)
	}
}

// Focused is the role and accessible name of the element with the focus.
func (p *Page) Focused() (role, name string) {
	p.t.Helper()
	var got struct{ Role, Name string }
	v := Eval[string](p, `(() => { const e = document.activeElement; return JSON.stringify({Role: e.getAttribute("role") || e.tagName.toLowerCase(), Name: (e.getAttribute("aria-label") || e.textContent || "").trim()}); })()`)
	if err := json.Unmarshal([]byte(v), &got); err != nil {
		p.t.Fatalf("browser: %v", err)
	}
	return got.Role, got.Name
}

// AwaitNoText waits until the page's visible text no longer holds s.
func (p *Page) AwaitNoText(s string) {
	p.t.Helper()
	if err := poll(func() (bool, error) { return !strings.Contains(p.Text(), s), nil }); err != nil {
		p.t.Fatalf("%q still on the page after %s", s, Wait)
	}
}
