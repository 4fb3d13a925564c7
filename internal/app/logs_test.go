package app

import (
	"bytes"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/config"
)

// syncBuffer is a log destination several goroutines write at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestLogsHoldNoSecrets: a server logging at debug level takes a signed
// and a forged request for every preset (every auth mode and scheme), a
// shared secret right and wrong, an outbound attempt with a bearer token
// refused by its receiver, and GraphQL calls with a key right and wrong:
// its output names none of the secrets, signatures or the API key, and
// has a line for each inbound request (its X-Request-Id) and operation.
func TestLogsHoldNoSecrets(t *testing.T) {
	t.Parallel()
	out := &syncBuffer{}
	ta := startLoggedApp(t, slog.New(slog.NewTextHandler(out, &slog.HandlerOptions{Level: slog.LevelDebug})),
		func(c *config.Config) { c.AllowPrivateNetworks = true })
	var secrets []string
	keep := func(s string) {
		if len(s) >= 12 { // signatures, keys and secrets; not timestamps or ids of a few bytes
			secrets = append(secrets, s)
		}
	}
	keep(ta.key)
	var requestIDs []string
	for _, c := range presetCases() {
		h := ta.peCreate(t, c.key, c.secret, nil)
		keep(c.secret)
		fresh := c.sign(ta.peIn(h, c.query, peBody(peID("evt_")), peID("msg_"), time.Now()))
		forged := fresh
		forged.body = strings.Replace(fresh.body, peMarker, "forged", 1)
		for _, r := range []peReq{fresh, forged} {
			for name, v := range r.header {
				if !strings.EqualFold(name, "Content-Type") && !strings.EqualFold(name, "User-Agent") {
					keep(v)
				}
			}
			rep := ta.peSend(t, h, c.query, r)
			requestIDs = append(requestIDs, rep.header.Get("X-Request-Id"))
		}
	}
	h := ta.createIn(t, ta.key, map[string]any{})
	keep(h.secret)
	for _, s := range []string{h.secret, "not-the-secret-at-all"} {
		rep := ta.send(t, http.MethodPost, h.path, "application/json", []byte(`{}`), map[string]string{"X-Webhook-Secret": s})
		requestIDs = append(requestIDs, rep.header.Get("X-Request-Id"))
	}

	rc := newReceiver(t, func(int) int { return 500 })
	token := "bearer-token-" + peID("")
	keep(token)
	ta.ok(t, ta.key, createOutbound, map[string]any{"in": map[string]any{"name": "crm", "url": rc.URL,
		"events": []string{"contact.created"}, "auth": map[string]any{"mode": "BEARER", "token": token}}})
	ta.ok(t, ta.key, `mutation { createContact(input: {name: "Ada"}) { id } }`, nil)
	rc.wait(t, 1) // refused: a failed attempt, logged
	if r := ta.gql(t, "wx_"+strings.Repeat("x", 40), `{ webhooks(first: 1) { totalCount } }`, nil); r.code() == "" {
		t.Fatal("a wrong key was let in")
	}

	text := out.String()
	for _, s := range secrets {
		if strings.Contains(text, s) {
			t.Errorf("the log names a secret or signature: %q", s)
		}
	}
	for _, id := range requestIDs {
		if id == "" || !strings.Contains(text, "request_id="+id) {
			t.Errorf("no log line for inbound request %q", id)
		}
	}
	if !strings.Contains(text, `msg="graphql operation" operation=mutation`) {
		t.Error("no log line for the GraphQL operations")
	}
}

// TestRequestIDInAnswerAndRow: every inbound answer carries an
// X-Request-Id, unique per request, which its log row keeps with the
// answer's other headers; an unknown token's 404 has one too; a caller's
// own id, when usable, is kept. The row logs the URL whole, as the caller
// used it.
func TestRequestIDInAnswerAndRow(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	h := ta.createIn(t, ta.key, map[string]any{})
	ids := map[string]bool{}
	for _, secret := range []string{h.secret, "wrong"} {
		rep := ta.send(t, http.MethodPost, h.path, "application/json", []byte(`{}`), map[string]string{"X-Webhook-Secret": secret})
		id := rep.header.Get("X-Request-Id")
		if !strings.HasPrefix(id, "req_") || ids[id] {
			t.Fatalf("X-Request-Id %q (seen: %v)", id, ids)
		}
		ids[id] = true
	}
	rows, err := ta.db.Read.WebhookLog.Query().All(auth.System(t.Context()))
	if err != nil || len(rows) != 2 {
		t.Fatalf("%d rows: %v", len(rows), err)
	}
	for _, r := range rows {
		if r.Response == nil || !ids[r.Response.Headers["X-Request-Id"]] {
			t.Errorf("row %s keeps answer headers %v", r.ID, r.Response)
		}
		if r.Request.URL != ta.cfg.PublicURL+h.path { // the URL as the caller used it
			t.Errorf("row %s logs the URL %q, want %q", r.ID, r.Request.URL, ta.cfg.PublicURL+h.path)
		}
	}
	if rep := ta.send(t, http.MethodPost, "/in/nope", "application/json", []byte(`{}`), nil); rep.status != http.StatusNotFound ||
		!strings.HasPrefix(rep.header.Get("X-Request-Id"), "req_") {
		t.Fatalf("unknown token: %d, X-Request-Id %q", rep.status, rep.header.Get("X-Request-Id"))
	}
	// The caller's own id is kept when usable; otherwise one is made.
	for sent, kept := range map[string]bool{
		"2f1c9a7e-5b1d-4c7a-9f3e-0a1b2c3d4e5f": true, "trace:01HZ.x_y": true,
		"has space": false, strings.Repeat("a", 129): false, "<b>quoted</b>": false,
	} {
		rep := ta.send(t, http.MethodPost, h.path, "application/json", []byte(`{}`),
			map[string]string{"X-Webhook-Secret": h.secret, "X-Request-Id": sent})
		if got := rep.header.Get("X-Request-Id"); (got == sent) != kept || !kept && !strings.HasPrefix(got, "req_") {
			t.Errorf("sent X-Request-Id %q, answered %q", sent, got)
		}
	}
}

// TestLogFormatAndLevel: WEXIO_LOG_FORMAT picks JSON or text lines and
// WEXIO_LOG_LEVEL the least level written (info by default).
func TestLogFormatAndLevel(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		env    map[string]string
		prefix string // of every line
		lines  int    // of debug, info and warn, one line each
	}{
		{map[string]string{}, "time=", 2},
		{map[string]string{"WEXIO_LOG_FORMAT": "json", "WEXIO_LOG_LEVEL": "debug"}, `{"time":`, 3},
		{map[string]string{"WEXIO_LOG_FORMAT": "text", "WEXIO_LOG_LEVEL": "warn"}, "time=", 1},
	} {
		cfg, _, err := config.Load(nil, env(tc.env))
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		log := newLogger(&b, cfg)
		log.Debug("d")
		log.Info("i")
		log.Warn("w")
		lines := strings.Split(strings.TrimSpace(b.String()), "\n")
		if len(lines) != tc.lines {
			t.Errorf("%v: %d lines, want %d: %s", tc.env, len(lines), tc.lines, b.String())
		}
		for _, l := range lines {
			if !strings.HasPrefix(l, tc.prefix) {
				t.Errorf("%v: line %q, want it to start %q", tc.env, l, tc.prefix)
			}
		}
	}
}
