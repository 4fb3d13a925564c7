package app

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// Credentials never reach the log: the shared secret header, Authorization,
// signature headers and secret query values are redacted; the rest is kept.
func TestInboundLogRedactsCredentials(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	h := ta.createIn(t, ta.key, map[string]any{})
	r := ta.send(t, http.MethodPost, h.path+"?token=abc&page=2", "application/json", []byte(`{"a":1}`),
		map[string]string{"Authorization": "Bearer " + h.secret, "X-Hub-Signature-256": "sha256=beef", "X-Trace": "t-1"})
	if r.status != 202 {
		t.Fatalf("status %d %s", r.status, r.body)
	}
	l := ta.logs(t, ta.key, h.id)[0]
	raw, _ := json.Marshal(l)
	if strings.Contains(string(raw), h.secret) || strings.Contains(string(raw), "beef") || strings.Contains(string(raw), "abc") {
		t.Fatalf("a credential reached the log: %s", raw)
	}
	if str(l, "request.headers.Authorization") != "[redacted]" || str(l, "request.headers.X-Trace") != "t-1" ||
		!strings.Contains(str(l, "request.url"), "page=2") || str(l, "request.body") != `{"a":1}` {
		t.Fatalf("log request %v", get(l, "request"))
	}
}
