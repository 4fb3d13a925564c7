package history

import (
	"slices"
	"testing"
	"time"

	"entgo.io/contrib/entgql"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/ent/webhooklog"
)

// TestPageWalksNewestFirst: pages forward (first, after) and backward
// (last, before) through the matching rows, newest first, tell whether
// more lie beyond them, count the total only when asked and load the edges
// asked for.
func TestPageWalksNewestFirst(t *testing.T) {
	t.Parallel()
	e := setup(t)
	for i := range 9 {
		at := now.Add(-time.Duration(i) * 7 * time.Minute)
		outcome := schematype.OutcomeSucceeded
		if i%3 == 0 {
			outcome = schematype.OutcomeFailed // left out by the filter
		}
		must[*ent.WebhookLog](t)(e.d.Write.WebhookLog.Create().SetID(logIDAt(at)).SetWebhookID(e.hook.ID).
			SetDirection(schematype.DirectionOutbound).SetOutcome(outcome).SetOccurredAt(at).
			SetRequest(schematype.HTTPMessage{}).Save(e.ctx))
	}
	f := &schematype.LogFilter{Outcomes: []schematype.LogOutcome{schematype.OutcomeSucceeded}}
	want := must[[]pulid.ID](t)(e.d.Read.WebhookLog.Query().Where(LogPredicates(f)...).
		Order(ent.Desc(webhooklog.FieldID)).IDs(e.ctx))
	if len(want) != 6 {
		t.Fatalf("%d matching rows, want 6", len(want))
	}
	ids := func(c *ent.WebhookLogConnection) []pulid.ID {
		var out []pulid.ID
		for _, edge := range c.Edges {
			out = append(out, edge.Node.ID)
		}
		return out
	}
	n := func(i int) *int { return &i }
	page := func(q PageQuery) *ent.WebhookLogConnection {
		t.Helper()
		q.Filter = f
		return must[*ent.WebhookLogConnection](t)(Page(e.ctx, e.d.Read, e.d.Dialect, q))
	}

	first := page(PageQuery{First: n(4), TotalCount: true,
		With: func(q *ent.WebhookLogQuery) *ent.WebhookLogQuery { return q.WithWebhook() }})
	if !slices.Equal(ids(first), want[:4]) || !first.PageInfo.HasNextPage || first.PageInfo.HasPreviousPage ||
		first.TotalCount != len(want) || first.Edges[0].Node.Edges.Webhook == nil {
		t.Errorf("first page %v %+v total %d, want %v", ids(first), first.PageInfo, first.TotalCount, want[:4])
	}
	after := &entgql.Cursor[pulid.ID]{ID: first.PageInfo.EndCursor.ID}
	second := page(PageQuery{First: n(4), After: after})
	if !slices.Equal(ids(second), want[4:]) || second.PageInfo.HasNextPage || !second.PageInfo.HasPreviousPage ||
		second.TotalCount != 0 || second.Edges[0].Node.Edges.Webhook != nil {
		t.Errorf("second page %v %+v total %d, want %v", ids(second), second.PageInfo, second.TotalCount, want[4:])
	}
	last := page(PageQuery{Last: n(2)})
	if !slices.Equal(ids(last), want[4:]) || !last.PageInfo.HasPreviousPage || last.PageInfo.HasNextPage {
		t.Errorf("last page %v %+v, want %v", ids(last), last.PageInfo, want[4:])
	}
	before := &entgql.Cursor[pulid.ID]{ID: last.PageInfo.StartCursor.ID}
	back := page(PageQuery{Last: n(3), Before: before})
	if !slices.Equal(ids(back), want[1:4]) || !back.PageInfo.HasPreviousPage || !back.PageInfo.HasNextPage {
		t.Errorf("page before the last %v %+v, want %v", ids(back), back.PageInfo, want[1:4])
	}
	if empty := page(PageQuery{First: n(0)}); len(empty.Edges) != 0 || !empty.PageInfo.HasNextPage ||
		empty.PageInfo.StartCursor != nil {
		t.Errorf("empty page %+v", empty)
	}
	for _, q := range []PageQuery{{}, {First: n(-1)}} {
		if _, err := Page(e.ctx, e.d.Read, e.d.Dialect, q); err == nil {
			t.Errorf("a page of %+v", q)
		}
	}
}
