package main

import (
	"fmt"
	"testing"
)

// Paging through history while new rows arrive neither repeats nor skips a
// row, forwards and backwards, with and without totalCount (two different
// code paths).
func TestHistoryPaginationWhileRowsArrive(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	h := ta.createIn(t, ta.key, map[string]any{})
	for i := 0; i < 25; i++ {
		ta.postJSON(t, h, fmt.Sprintf(`{"n":%d}`, i), nil)
	}
	for _, count := range []string{"", "totalCount"} {
		all := ta.logs(t, ta.key, h.id) // newest first, before the late rows
		q := `query($w: ID, $a: Cursor, $b: Cursor, $f: Int, $l: Int) { webhookLogs(first: $f, after: $a, last: $l, before: $b, where: {webhookId: $w}) {
			` + count + ` pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } } } }`
		var seen, cursors []string
		vars := map[string]any{"w": h.id, "f": 10}
		for page := 0; ; page++ {
			d := get(ta.ok(t, ta.key, q, vars), "webhookLogs")
			for _, e := range get(d, "edges").([]any) {
				seen = append(seen, str(e, "node.id"))
				cursors = append(cursors, str(e, "cursor"))
			}
			ta.postJSON(t, h, `{"late":true}`, nil) // newer rows land before the cursor
			if get(d, "pageInfo.hasNextPage") != true {
				break
			}
			vars = map[string]any{"w": h.id, "f": 10, "a": str(d, "pageInfo.endCursor")}
		}
		if mustJSON(seen) != mustJSON(ids(all)) {
			t.Fatalf("forward (%q): saw %d rows %v\nwant %d %v", count, len(seen), seen, len(all), ids(all))
		}
		// Backwards from the oldest page: the same rows, oldest pages first.
		vars = map[string]any{"w": h.id, "l": 10, "b": cursors[14]}
		d := get(ta.ok(t, ta.key, q, vars), "webhookLogs")
		got := []string{}
		for _, e := range get(d, "edges").([]any) {
			got = append(got, str(e, "node.id"))
		}
		if mustJSON(got) != mustJSON(seen[4:14]) || get(d, "pageInfo.hasPreviousPage") != true {
			t.Fatalf("backward (%q): %v, want %v (%v)", count, got, seen[4:14], get(d, "pageInfo"))
		}
	}
}

func ids(rows []any) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = str(r, "id")
	}
	return out
}
