package app

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wexio/webhooks/internal/auth"
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

// TestRequestLimits: more than 100 mutations in one request are refused
// before any runs; an answer carries at most 100 errors and says how many
// more there were.
func TestRequestLimits(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	var b strings.Builder
	b.WriteString("mutation {")
	for i := range 101 {
		fmt.Fprintf(&b, " c%d: createContact(input: {name: \"c%d\"}) { id }", i, i)
	}
	b.WriteString(" }")
	r := ta.gql(t, ta.key, b.String(), nil)
	if r.code() != "BAD_USER_INPUT" || !strings.Contains(r.Errors[0].Message, "at most 100") {
		t.Fatalf("101 mutations: %.300s", r.Raw)
	}
	n, err := ta.db.Read.Contact.Query().Count(auth.System(t.Context()))
	if err != nil || n != 0 {
		t.Fatalf("%d contacts created by a refused request (%v)", n, err)
	}

	// A query whose 150 fields each fail (a page size out of range).
	b.Reset()
	b.WriteString("{")
	for i := range 150 {
		fmt.Fprintf(&b, " w%d: webhooks(first: -1) { totalCount }", i)
	}
	b.WriteString(" }")
	r = ta.gql(t, ta.key, b.String(), nil)
	if len(r.Errors) != 101 || r.Errors[100].Extensions["code"] != "TOO_MANY_ERRORS" ||
		!strings.Contains(r.Errors[100].Message, "50 more errors") {
		t.Fatalf("150 failing fields: %d errors, last %+v", len(r.Errors), r.Errors[len(r.Errors)-1])
	}
}
