package app

import (
	"strings"
	"testing"
)

// TestOverLongFilterIsBadInput: a filter string over 1,000 bytes, inline
// or in a variable, is BAD_USER_INPUT naming the argument, not an internal
// error; one of 1,000 bytes runs.
func TestOverLongFilterIsBadInput(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	long := strings.Repeat("%", 50_000)
	for _, tc := range []struct {
		query string
		vars  map[string]any
	}{
		{`query($s: String) { webhooks(where: {nameContains: $s}) { totalCount } }`, map[string]any{"s": long}},
		{`{ webhooks(where: {nameContains: "` + strings.Repeat("a", 1001) + `"}) { totalCount } }`, nil},
		{`query($t: String) { webhookLogs(where: {eventType: $t}) { totalCount } }`, map[string]any{"t": long}},
		{`query($s: String) { contacts(where: {nameContains: $s}) { totalCount } }`, map[string]any{"s": long}},
	} {
		r := ta.gql(t, ta.key, tc.query, tc.vars)
		if r.code() != "BAD_USER_INPUT" || !strings.Contains(r.Errors[0].Message, "longer than 1000 bytes") {
			t.Errorf("%.60s: %.300s", tc.query, r.Raw)
		}
	}
	ok := ta.gql(t, ta.key, `query($s: String) { webhooks(where: {nameContains: $s}) { totalCount } }`,
		map[string]any{"s": strings.Repeat("a", 1000)})
	if len(ok.Errors) > 0 {
		t.Fatalf("a filter of 1,000 bytes: %s", ok.Raw)
	}
}
