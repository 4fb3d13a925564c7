package app

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wexio/webhooks/internal/config"
	"github.com/wexio/webhooks/internal/testkit"
)

// scrape reads GET /metrics whole.
func (ta *testApp) scrape(t testing.TB) string {
	t.Helper()
	res, err := http.Get(ta.srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics: %d %s", res.StatusCode, b)
	}
	return string(b)
}

// sample is the value of the sample series (a name with its labels, as
// the text format writes them: sorted) in text, -1 when absent.
func sample(text, series string) float64 {
	for line := range strings.SplitSeq(text, "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err == nil {
				return f
			}
		}
	}
	return -1
}

// TestMetricsMoveWithWhatHappens: every family of the contract is served,
// and each moves when its behaviour happens: an inbound request accepted
// and one refused, an outbound attempt, a flow run, a live-tail
// subscriber, the writer's commits. No label names a workspace, an id or
// a URL.
func TestMetricsMoveWithWhatHappens(t *testing.T) {
	t.Parallel()
	ta := newOutboundApp(t)
	text := ta.scrape(t)
	for _, family := range []string{"wexio_inbound_requests_total", "wexio_inbound_request_duration_seconds",
		"wexio_outbound_attempts_total", "wexio_outbound_attempt_duration_seconds", "wexio_outbound_deliveries_due",
		"wexio_outbound_delivery_lag_seconds", "wexio_flow_runs_total", "wexio_livetail_subscribers",
		"wexio_livetail_slow_subscribers_total", "wexio_db_commit_duration_seconds", "wexio_db_commit_batch_rows",
		"wexio_outbound_webhooks", "wexio_outbound_deliveries_held",
		"go_goroutines", "process_resident_memory_bytes"} {
		if !strings.Contains(text, "# TYPE "+family+" ") {
			t.Errorf("family %s is not served", family)
		}
	}
	if v := sample(text, "wexio_outbound_deliveries_due"); v != 0 {
		t.Errorf("deliveries due on an idle server: %v", v)
	}

	// Inbound: one accepted, one refused.
	h := ta.createIn(t, ta.key, map[string]any{})
	if r := ta.postJSON(t, h, `{"a":1}`, nil); r.status != http.StatusAccepted {
		t.Fatalf("inbound %d %s", r.status, r.body)
	}
	if r := ta.send(t, http.MethodPost, h.path, "application/json", []byte(`{}`),
		map[string]string{"X-Webhook-Secret": "wrong"}); r.status != http.StatusUnauthorized {
		t.Fatalf("wrong secret: %d", r.status)
	}
	text = ta.scrape(t)
	for series, want := range map[string]float64{
		`wexio_inbound_requests_total{mode="SHARED_SECRET",outcome="ACCEPTED"}`: 1,
		`wexio_inbound_requests_total{mode="SHARED_SECRET",outcome="REJECTED"}`: 1,
		`wexio_inbound_request_duration_seconds_count`:                          2,
	} {
		if got := sample(text, series); got != want {
			t.Errorf("%s = %v, want %v", series, got, want)
		}
	}

	// Outbound: an event delivered, and a flow run that emits another.
	rc := newReceiver(t, func(int) int { return 200 })
	ta.ok(t, ta.key, createOutbound, map[string]any{"in": map[string]any{
		"name": "crm", "url": rc.URL, "events": []string{"contact.created", "flow.*"}}})
	ta.ok(t, ta.key, createFlow, map[string]any{"in": map[string]any{
		"name": "f", "trigger": map[string]any{"type": "WEBHOOK_RECEIVED", "webhookId": h.id},
		"steps": []any{map[string]any{"type": "EMIT_EVENT", "config": map[string]any{"name": "x", "data": map[string]any{}}}}}})
	ta.ok(t, ta.key, `mutation { createContact(input: {name: "Ada"}) { id } }`, nil)
	if r := ta.postJSON(t, h, `{"a":2}`, nil); r.status != http.StatusAccepted {
		t.Fatalf("inbound %d %s", r.status, r.body)
	}
	rc.wait(t, 2)
	// An attempt moves two families one after the other: a scrape may come
	// between them, so both are waited for.
	testkit.Eventually(t, "the attempts, their durations and the run counted", func() bool {
		text = ta.scrape(t)
		return sample(text, `wexio_outbound_attempts_total{outcome="SUCCEEDED",status_class="2xx"}`) >= 2 &&
			sample(text, "wexio_outbound_attempt_duration_seconds_count") >= 2 &&
			sample(text, `wexio_flow_runs_total{status="SUCCEEDED"}`) >= 1
	})
	for series, want := range map[string]float64{
		`wexio_outbound_attempts_total{outcome="SUCCEEDED",status_class="2xx"}`: 2,
		"wexio_outbound_attempt_duration_seconds_count":                         2,
		`wexio_flow_runs_total{status="SUCCEEDED"}`:                             1,
	} {
		if got := sample(text, series); got != want {
			t.Errorf("%s = %v, want %v", series, got, want)
		}
	}
	if got := sample(text, "wexio_db_commit_batch_rows_count"); got < 1 {
		t.Errorf("commits observed: %v", got)
	}

	// Live tail: a subscriber.
	c := ta.dialWS(t, "graphql-transport-ws", ta.key)
	c.expect("connection_ack")
	c.subscribe("tail", tailQuery, map[string]any{"w": h.id})
	testkit.Eventually(t, "the subscriber counted", func() bool {
		return sample(ta.scrape(t), "wexio_livetail_subscribers") == 1
	})

	text = ta.scrape(t)
	for _, leak := range []string{`="ws_`, `="wh_`, `="log_`, rc.URL, "hooks.example.test", h.id, "crm"} {
		for line := range strings.SplitSeq(text, "\n") {
			if strings.Contains(line, leak) {
				t.Errorf("/metrics names %q: %s", leak, line)
			}
		}
	}
}

// TestMetricsCanBeTurnedOff: WEXIO_METRICS=false serves no /metrics.
func TestMetricsCanBeTurnedOff(t *testing.T) {
	t.Parallel()
	ta := newTestAppWith(t, func(c *config.Config) { c.Metrics = false })
	res, err := http.Get(ta.srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Fatalf("GET /metrics with metrics off: %d", res.StatusCode)
	}
}

// TestBacklogMetricsMove: with the workers stopped, deliveries made due
// stay due, and the due count and the lag of the oldest show them.
func TestBacklogMetricsMove(t *testing.T) {
	t.Parallel()
	ta := newOutboundApp(t)
	ta.stopWork() // no dispatcher: what is due stays due
	<-ta.workDone
	ta.ok(t, ta.key, createOutbound, map[string]any{"in": map[string]any{
		"name": "crm", "url": "https://receiver.example/hook", "events": []string{"contact.created"}}})
	for range 3 {
		ta.ok(t, ta.key, `mutation { createContact(input: {name: "Ada"}) { id } }`, nil)
	}
	time.Sleep(1100 * time.Millisecond)
	text := ta.scrape(t)
	if due, lag := sample(text, "wexio_outbound_deliveries_due"), sample(text, "wexio_outbound_delivery_lag_seconds"); due != 3 || lag < 1 {
		t.Fatalf("due %v, lag %v s; want 3 and at least 1", due, lag)
	}
}

// TestStandingMetricsMove: the outbound webhooks by status and health, and
// the deliveries held for a paused one, as an operator alerts on them.
func TestStandingMetricsMove(t *testing.T) {
	t.Parallel()
	ta := newOutboundApp(t)
	ta.stopWork() // no dispatcher: nothing is attempted meanwhile
	<-ta.workDone
	hook := func(name string) string {
		return str(ta.ok(t, ta.key, createOutbound, map[string]any{"in": map[string]any{
			"name": name, "url": "https://receiver.example/" + name, "events": []string{"contact.created"}}}),
			"createOutboundWebhook.webhook.id")
	}
	hook("live")
	paused, failing := hook("paused"), hook("failing")
	ta.ok(t, ta.key, `mutation($id: ID!) { setWebhookStatus(id: $id, status: PAUSED) { id } }`, map[string]any{"id": paused})
	ta.exec(t, `UPDATE webhooks SET health = 'FAILING' WHERE id = ?`, failing)
	for range 3 {
		ta.ok(t, ta.key, `mutation { createContact(input: {name: "Ada"}) { id } }`, nil)
	}
	text := ta.scrape(t)
	for series, want := range map[string]float64{
		`wexio_outbound_webhooks{health="HEALTHY",status="ACTIVE"}`:   1,
		`wexio_outbound_webhooks{health="HEALTHY",status="PAUSED"}`:   1,
		`wexio_outbound_webhooks{health="FAILING",status="ACTIVE"}`:   1,
		`wexio_outbound_webhooks{health="FAILING",status="DISABLED"}`: 0,
		// The paused webhook's three and the FAILING one's three (new
		// events' deliveries to it are held too); the live one's are due.
		`wexio_outbound_deliveries_held`: 6,
	} {
		if got := sample(text, series); got != want {
			t.Errorf("%s = %v, want %v", series, got, want)
		}
	}
}
