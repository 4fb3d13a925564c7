package app

import (
	"net/http"
	"strings"
	"testing"
)

// Every row of CONTRACT.md §4, through the real server: the answer, its JSON
// error code and the log row it leaves.
func TestInboundAnswersInContractOrder(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	big := `{"x":"` + strings.Repeat("a", int(ta.cfg.InboundMaxBytes)) + `"}`
	deep := strings.Repeat("[", 65) + strings.Repeat("]", 65)
	cases := []struct {
		name        string
		status      string // webhook status to set first
		method, ct  string
		body        string
		noSecret    bool
		wrongSecret bool
		resolve     bool // contact resolution configured: the body is decoded, not just validated
		want        int
		code        string // error code, "" for 2xx
		outcome     string // log outcome, "" when not logged
		reason      string // log error
	}{
		{name: "paused", status: "PAUSED", body: `{}`, want: 503, code: "webhook_paused", outcome: "REJECTED", reason: "webhook is paused"},
		{name: "disabled", status: "DISABLED", body: `{}`, want: 410, code: "webhook_disabled", outcome: "REJECTED", reason: "webhook is disabled"},
		{name: "too large", body: big, want: 413, code: "payload_too_large", outcome: "REJECTED", reason: "body exceeds 102400 bytes"},
		{name: "not json", ct: "text/plain", body: `hello`, want: 415, code: "unsupported_media_type", outcome: "REJECTED", reason: "content type"},
		{name: "no content type", ct: "-", body: `{}`, want: 415, code: "unsupported_media_type", outcome: "REJECTED", reason: "content type"},
		{name: "missing secret", noSecret: true, body: `{}`, want: 401, code: "missing_signature", outcome: "REJECTED", reason: "missing signature"},
		{name: "wrong secret", wrongSecret: true, body: `{}`, want: 401, code: "invalid_signature", outcome: "REJECTED", reason: "invalid signature"},
		{name: "invalid json", body: `{"a":`, want: 400, code: "invalid_json", outcome: "REJECTED", reason: "not valid JSON"},
		{name: "too deep", body: deep, want: 400, code: "json_too_deep", outcome: "REJECTED", reason: "deeper than 64"},
		{name: "invalid json, resolving", resolve: true, body: `{"a":`, want: 400, code: "invalid_json", outcome: "REJECTED", reason: "not valid JSON"},
		{name: "trailing data, resolving", resolve: true, body: `{"a":1} {}`, want: 400, code: "invalid_json", outcome: "REJECTED", reason: "not valid JSON"},
		{name: "too deep, resolving", resolve: true, body: deep, want: 400, code: "json_too_deep", outcome: "REJECTED", reason: "deeper than 64"},
		{name: "accepted, resolving", resolve: true, body: `{"email":"x@example.com"}`, want: 202, outcome: "ACCEPTED"},
		{name: "get without handshake", method: "GET", want: 405, code: "method_not_allowed", outcome: "REJECTED", reason: "handshake"},
		{name: "put", method: "PUT", body: `{}`, want: 405, code: "method_not_allowed", outcome: "REJECTED", reason: "POST"},
		{name: "accepted", body: `{"order":{"id":42}}`, want: 202, outcome: "ACCEPTED"},
		{name: "vendor json", ct: "application/vnd.api+json; charset=utf-8", body: `{"a":1}`, want: 202, outcome: "ACCEPTED"},
		{name: "form", ct: "application/x-www-form-urlencoded", body: `a=1&b=2&b=3`, want: 202, outcome: "ACCEPTED"},
	}
	for _, tc := range cases {
		in := map[string]any{"name": tc.name}
		if tc.resolve {
			in["contactResolution"] = map[string]any{"match": "EMAIL", "path": "email", "createIfMissing": true}
		}
		h := ta.createIn(t, ta.key, in)
		if tc.status != "" {
			ta.ok(t, ta.key, `mutation($id: ID!, $s: WebhookStatus!) { setWebhookStatus(id: $id, status: $s) { id } }`,
				map[string]any{"id": h.id, "s": tc.status})
		}
		method, ct := tc.method, tc.ct
		if method == "" {
			method = http.MethodPost
		}
		switch ct {
		case "":
			ct = "application/json"
		case "-":
			ct = ""
		}
		hdr := map[string]string{"X-Webhook-Secret": h.secret}
		if tc.noSecret {
			hdr = nil
		}
		if tc.wrongSecret {
			hdr["X-Webhook-Secret"] = h.secret + "x"
		}
		r := ta.send(t, method, h.path, ct, []byte(tc.body), hdr)
		if r.status != tc.want {
			t.Errorf("%s: status %d %s, want %d", tc.name, r.status, r.body, tc.want)
			continue
		}
		if tc.code != "" {
			if got := errorCode(t, r.body); got != tc.code {
				t.Errorf("%s: error code %q (%s), want %q", tc.name, got, r.body, tc.code)
			}
			if ct := r.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("%s: error Content-Type %q", tc.name, ct)
			}
		}
		logs := ta.logs(t, ta.key, h.id)
		if len(logs) != 1 {
			t.Errorf("%s: %d log rows, want 1", tc.name, len(logs))
			continue
		}
		l := logs[0]
		if str(l, "outcome") != tc.outcome || int(get(l, "statusCode").(float64)) != tc.want ||
			!strings.Contains(str(l, "error"), tc.reason) || str(l, "request.method") != method {
			t.Errorf("%s: log %v", tc.name, l)
		}
		if tc.name == "too large" && len(str(l, "request.body")) != int(ta.cfg.InboundMaxBytes) {
			t.Errorf("too large: logged body of %d bytes, want the first %d", len(str(l, "request.body")), ta.cfg.InboundMaxBytes)
		}
		if tc.name == "paused" && r.header.Get("Retry-After") == "" {
			t.Errorf("paused: no Retry-After")
		}
		// The log keeps the answer as sent.
		for _, k := range []string{"Content-Type", "Retry-After", "Allow"} {
			if got := get(l, "response.headers."+k); r.header.Get(k) != "" && got != r.header.Get(k) {
				t.Errorf("%s: logged response %s = %v, sent %q", tc.name, k, got, r.header.Get(k))
			}
		}
		if tc.want == 202 {
			var body map[string]string
			decode(t, strings.NewReader(r.body), &body)
			if body["status"] != "accepted" || body["id"] != str(l, "id") {
				t.Errorf("%s: body %s, want the log id %s", tc.name, r.body, str(l, "id"))
			}
		}
	}
	// An unknown token is 404 and logs nothing anywhere.
	r := ta.send(t, http.MethodPost, "/in/nope", "application/json", []byte(`{}`), nil)
	if r.status != 404 || errorCode(t, r.body) != "not_found" {
		t.Errorf("unknown token: %d %s", r.status, r.body)
	}
}

// When the request cannot be stored the sender gets 500 and may retry:
// nothing was acknowledged.
func TestInboundStorageFailureIs500(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	h := ta.createIn(t, ta.key, map[string]any{})
	ta.postJSON(t, h, `{}`, nil) // cached, so only the write can fail
	_ = ta.db.Close()
	r := ta.postJSON(t, h, `{}`, nil)
	if r.status != 500 || errorCode(t, r.body) != "internal_error" {
		t.Fatalf("status %d %s", r.status, r.body)
	}
}
