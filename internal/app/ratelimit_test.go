package app

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/wexio/webhooks/internal/config"
)

// TestAPIRatePerKey: with WEXIO_API_RATE=1 a key gets a burst of two
// requests, then 429 with Retry-After and RATE_LIMITED; another key is
// not held by it; an operation started over a WebSocket counts too and is
// refused the same way. Without the variable nothing is limited.
func TestAPIRatePerKey(t *testing.T) {
	t.Parallel()
	ta := newTestAppWith(t, func(c *config.Config) { c.APIRate = 1 })
	q := `{ webhooks(first: 1) { totalCount } }`
	for i := range 2 {
		if r := ta.gql(t, ta.key, q, nil); r.Status != http.StatusOK || len(r.Errors) > 0 {
			t.Fatalf("request %d of the burst: %s", i+1, r.Raw)
		}
	}
	req, _ := http.NewRequest(http.MethodPost, ta.srv.URL+"/query", strings.NewReader(`{"query":"{ webhooks(first: 1) { totalCount } }"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+ta.key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var body gqlResponse
	_ = json.NewDecoder(res.Body).Decode(&body)
	res.Body.Close()
	if wait, _ := strconv.Atoi(res.Header.Get("Retry-After")); res.StatusCode != http.StatusTooManyRequests ||
		wait < 1 || body.code() != "RATE_LIMITED" {
		t.Fatalf("past the burst: %d, Retry-After %q, %+v", res.StatusCode, res.Header.Get("Retry-After"), body.Errors)
	}
	other := ta.newWorkspace(t, "other")
	if r := ta.gql(t, other, q, nil); r.Status != http.StatusOK {
		t.Fatalf("another key held by the first's rate: %s", r.Raw)
	}

	// The other key's second request, then a subscription: its third.
	ta.gql(t, other, q, nil)
	c := ta.dialWS(t, "graphql-transport-ws", other)
	c.expect("connection_ack")
	c.subscribe("tail", tailQuery, map[string]any{})
	m := c.next2(t)
	var refused gqlResponse // the operation's one result: its error
	_ = json.Unmarshal(m.Payload, &refused)
	if m.Type != "next" || refused.code() != "RATE_LIMITED" {
		t.Fatalf("a subscription past the rate: %s %s", m.Type, m.Payload)
	}

	free := newTestApp(t)
	for i := range 10 {
		if r := free.gql(t, free.key, q, nil); r.Status != http.StatusOK {
			t.Fatalf("request %d without WEXIO_API_RATE: %s", i+1, r.Raw)
		}
	}
}
