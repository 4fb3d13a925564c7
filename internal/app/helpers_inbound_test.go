package app

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"hash"
	"io"
	"net/http"
	"strings"
	"testing"
)

// inHook is an inbound webhook created through the API.
type inHook struct {
	id, url, secret string
	path            string // /in/{token}, on the test server
}

// createIn creates an inbound webhook from input (name defaults to "in").
func (ta *testApp) createIn(t testing.TB, key string, input map[string]any) inHook {
	t.Helper()
	if input["name"] == nil {
		input["name"] = "in"
	}
	p := get(ta.ok(t, key, createInbound, map[string]any{"in": input}), "createInboundWebhook")
	url := str(p, "webhook.inbound.url")
	return inHook{id: str(p, "webhook.id"), url: url, secret: str(p, "secret"),
		path: strings.TrimPrefix(url, ta.cfg.PublicURL)}
}

// reply is an HTTP answer, read whole.
type reply struct {
	status int
	header http.Header
	body   string
}

// send makes one request to the test server.
func (ta *testApp) send(t testing.TB, method, path, contentType string, body []byte, headers map[string]string) reply {
	t.Helper()
	req, err := http.NewRequest(method, ta.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return reply{status: res.StatusCode, header: res.Header, body: string(raw)}
}

// postJSON posts a JSON body with the shared secret of h.
func (ta *testApp) postJSON(t testing.TB, h inHook, body string, headers map[string]string) reply {
	t.Helper()
	all := map[string]string{"X-Webhook-Secret": h.secret}
	for k, v := range headers {
		all[k] = v
	}
	return ta.send(t, http.MethodPost, h.path, "application/json", []byte(body), all)
}

const logFields = `id outcome statusCode durationMs error idempotencyKey occurredAt direction
	request { method url headers body } response { headers body }
	contact { id email phone chatId channelUserId } flowRuns { id status }`

// logs returns the webhook's log rows, newest first.
func (ta *testApp) logs(t testing.TB, key, webhookID string) []any {
	t.Helper()
	d := ta.ok(t, key, `query($w: ID) { webhookLogs(first: 100, where: {webhookId: $w}) {
		totalCount edges { node { `+logFields+` } } } }`, map[string]any{"w": webhookID})
	var out []any
	edges, _ := get(d, "webhookLogs.edges").([]any)
	for _, e := range edges {
		out = append(out, get(e, "node"))
	}
	return out
}

// errorCode reads {"error":{"code":...}}.
func errorCode(t testing.TB, body string) string {
	t.Helper()
	var v map[string]any
	decode(t, strings.NewReader(body), &v)
	return str(v, "error.code")
}

var sha256New = sha256.New

func hmacHex(h func() hash.Hash, key []byte, msg string) string {
	m := hmac.New(h, key)
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}

func hmacB64(h func() hash.Hash, key []byte, msg string) string {
	m := hmac.New(h, key)
	m.Write([]byte(msg))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}
