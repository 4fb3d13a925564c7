package app

import (
	"bytes"
	"context"
	"encoding/base64"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/wexio/webhooks/internal/config"
)

// logCount is how many log rows webhookID has.
func (ta *testApp) logCount(t testing.TB, webhookID string) int {
	t.Helper()
	d := ta.ok(t, ta.key, `query($w: ID) { webhookLogs(where: {webhookId: $w}) { totalCount } }`, map[string]any{"w": webhookID})
	return int(get(d, "webhookLogs.totalCount").(float64))
}

// TestInboundHeadersOver64KBAre431AndLogged: an inbound request whose
// headers pass 64 KB is answered 431 by the webhook's handler and logged,
// its row keeping 8 KB of the headers; under 64 KB it is served whole.
func TestInboundHeadersOver64KBAre431AndLogged(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	h := ta.createIn(t, ta.key, map[string]any{})
	big := map[string]string{"X-Flood-A": strings.Repeat("a", 40<<10), "X-Flood-B": strings.Repeat("b", 30<<10)}
	r := ta.postJSON(t, h, `{"n":1}`, big)
	if r.status != http.StatusRequestHeaderFieldsTooLarge || errorCode(t, r.body) != "headers_too_large" {
		t.Fatalf("70 KB of headers: %d %s, want 431 headers_too_large", r.status, r.body)
	}
	logs := ta.logs(t, ta.key, h.id)
	if len(logs) != 1 || str(logs[0], "outcome") != "REJECTED" || get(logs[0], "statusCode").(float64) != 431 {
		t.Fatalf("log rows %v, want one REJECTED 431", logs)
	}
	headers, _ := get(logs[0], "request.headers").(map[string]any)
	size := 0
	for k, v := range headers {
		size += len(k) + len(v.(string))
	}
	if size > 8<<10 || size < 4<<10 {
		t.Fatalf("the 431's row keeps %d bytes of headers, want at most 8 KB (and most of it)", size)
	}
	if str(logs[0], "request.body") != `{"n":1}` {
		t.Fatalf("the 431's row lost the body: %q", str(logs[0], "request.body"))
	}
	r = ta.postJSON(t, h, `{"n":2}`, map[string]string{"X-Flood-A": strings.Repeat("a", 50<<10)})
	if r.status != http.StatusAccepted {
		t.Fatalf("50 KB of headers: %d %s, want 202", r.status, r.body)
	}
}

// TestRefusedRequestsPastTheRateAreNotStored: refusals past
// WEXIO_REFUSED_LOG_RATE a second per webhook are answered as usual and
// counted, not stored; accepted requests and other webhooks' refusals are
// not affected; 0 stores every one.
func TestRefusedRequestsPastTheRateAreNotStored(t *testing.T) {
	t.Parallel()
	ta := newTestAppWith(t, func(c *config.Config) { c.RefusedLogRate = 5 })
	h := ta.createIn(t, ta.key, map[string]any{})
	other := ta.createIn(t, ta.key, map[string]any{"name": "other"})
	began := time.Now()
	const refused = 60
	for i := range refused {
		r := ta.send(t, http.MethodPost, h.path, "application/json", []byte(`{"i":1}`), map[string]string{"X-Webhook-Secret": "wrong"})
		if r.status != http.StatusUnauthorized {
			t.Fatalf("refusal %d: %d %s", i, r.status, r.body)
		}
	}
	elapsed := time.Since(began)
	stored := ta.logCount(t, h.id)
	allowed := 5 + int(5*elapsed.Seconds()) + 1
	if stored < 5 || stored > allowed {
		t.Fatalf("%d refusals in %v: %d stored, want 5..%d", refused, elapsed, stored, allowed)
	}
	if got := sample(ta.scrape(t), "wexio_inbound_refusals_unlogged_total"); got != float64(refused-stored) {
		t.Fatalf("wexio_inbound_refusals_unlogged_total = %v, want %d", got, refused-stored)
	}
	if got := sample(ta.scrape(t), `wexio_inbound_requests_total{mode="SHARED_SECRET",outcome="REJECTED"}`); got != refused {
		t.Fatalf("refusals counted %v, want %d", got, refused)
	}
	for range 20 {
		if r := ta.postJSON(t, h, `{"ok":1}`, nil); r.status != http.StatusAccepted {
			t.Fatalf("accepted: %d %s", r.status, r.body)
		}
	}
	if r := ta.send(t, http.MethodPost, other.path, "application/json", []byte(`{}`), map[string]string{"X-Webhook-Secret": "wrong"}); r.status != 401 {
		t.Fatalf("other webhook: %d", r.status)
	}
	if got := ta.logCount(t, h.id); got != stored+20 {
		t.Fatalf("after 20 accepted: %d rows, want %d", got, stored+20)
	}
	if got := ta.logCount(t, other.id); got != 1 {
		t.Fatalf("the other webhook's refusal: %d rows, want 1", got)
	}

	all := newTestAppWith(t, func(c *config.Config) { c.RefusedLogRate = 0 })
	h = all.createIn(t, all.key, map[string]any{})
	for range 30 {
		all.send(t, http.MethodPost, h.path, "application/json", []byte(`{}`), map[string]string{"X-Webhook-Secret": "wrong"})
	}
	if got := all.logCount(t, h.id); got != 30 {
		t.Fatalf("WEXIO_REFUSED_LOG_RATE=0: %d rows of 30 refusals", got)
	}
}

// TestHeaderFloodDatabaseGrowth: eight connections sending refused
// requests with 60 KB of headers and 100 KB bodies, as fast as they can,
// grow the database by the stored rows' size alone: the rate of stored
// refusals, each row within the payload limit plus 16 KB of headers.
func TestHeaderFloodDatabaseGrowth(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t) // the default rate, 10 a second
	h := ta.createIn(t, ta.key, map[string]any{})
	before := ta.logBytes(t)
	headers := map[string]string{"X-Webhook-Secret": "wrong"}
	for i := range 6 {
		headers["X-Flood-"+string(rune('A'+i))] = strings.Repeat("f", 10<<10)
	}
	body := bytes.Repeat([]byte("x"), 100<<10-10)
	body = append(append([]byte(`{"p":"`), body...), `"}`...)
	const perConn = 40
	began := time.Now()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range perConn {
				if r := ta.send(t, http.MethodPost, h.path, "application/json", body, headers); r.status != http.StatusUnauthorized {
					t.Errorf("flood: %d %s", r.status, r.body)
					return
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(began)
	stored := ta.logCount(t, h.id)
	grown := ta.logBytes(t) - before
	allowed := 10 + int(10*elapsed.Seconds()) + 1
	const rowMax = 100<<10 + 16<<10 + 4<<10 // payload, headers, the rest of the row
	t.Logf("%d refused requests (%d KB each) in %v: %d rows stored, the log grew %d KB (%d KB unlimited)",
		8*perConn, (len(body)+60<<10)>>10, elapsed.Round(time.Millisecond), stored, grown>>10, 8*perConn*(len(body)+60<<10)>>10)
	if stored > allowed {
		t.Fatalf("%d rows stored in %v, want at most %d", stored, elapsed, allowed)
	}
	if grown > int64(stored)*rowMax+256<<10 { // and the pages of the indexes and counters

		t.Fatalf("the log grew %d bytes for %d rows: more than %d a row", grown, stored, rowMax)
	}
}

// logBytes is the space the log rows take: the SQLite file (and its WAL),
// or webhook_logs with its TOAST and indexes on PostgreSQL.
func (ta *testApp) logBytes(t testing.TB) int64 {
	t.Helper()
	if ta.db.Dialect == dialect.Postgres {
		rows, err := ta.db.Read.QueryContext(context.Background(), "SELECT pg_total_relation_size('webhook_logs')")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var n int64
		if !rows.Next() || rows.Scan(&n) != nil {
			t.Fatal("reading the size of webhook_logs")
		}
		return n
	}
	// The WAL keeps each commit's pages, rewritten ones again, until a
	// checkpoint: what the rows take is the file once checkpointed.
	if _, err := ta.db.Write.ExecContext(context.Background(), "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		t.Fatal(err)
	}
	var n int64
	path := ta.cfg.SQLitePath()
	for _, suffix := range []string{"", "-wal"} {
		if fi, err := os.Stat(path + suffix); err == nil {
			n += fi.Size()
		}
	}
	return n
}

// TestInboundBodyNotUTF8IsLoggedByteForByte: a JSON body with bytes that
// are not UTF-8 inside a string is accepted (it parses) and its row keeps
// it exactly, in bodyBase64 beside the text; a UTF-8 body has no
// bodyBase64.
func TestInboundBodyNotUTF8IsLoggedByteForByte(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	h := ta.createIn(t, ta.key, map[string]any{})
	raw := "{\"name\":\"caf\xe9\",\"b\":\"\xff\xfe\"}"
	if r := ta.postJSON(t, h, raw, nil); r.status != http.StatusAccepted {
		t.Fatalf("%d %s", r.status, r.body)
	}
	if r := ta.postJSON(t, h, `{"name":"café"}`, nil); r.status != http.StatusAccepted {
		t.Fatalf("%d %s", r.status, r.body)
	}
	d := ta.ok(t, ta.key, `query($w: ID) { webhookLogs(first: 2, where: {webhookId: $w}) {
		edges { node { request { body bodyBase64 } } } } }`, map[string]any{"w": h.id})
	edges := get(d, "webhookLogs.edges").([]any)
	if len(edges) != 2 {
		t.Fatalf("%d rows", len(edges))
	}
	valid, invalid := get(edges[0], "node.request"), get(edges[1], "node.request")
	if get(valid, "bodyBase64") != nil || str(valid, "body") != `{"name":"café"}` {
		t.Fatalf("a UTF-8 body: %v", valid)
	}
	exact, err := base64.StdEncoding.DecodeString(str(invalid, "bodyBase64"))
	if err != nil || string(exact) != raw {
		t.Fatalf("bodyBase64 %q (%v), want the bytes received %q", exact, err, raw)
	}
	if !strings.Contains(str(invalid, "body"), "caf\uFFFD") {
		t.Fatalf("body text %q, want U+FFFD for the bad bytes", str(invalid, "body"))
	}
}
