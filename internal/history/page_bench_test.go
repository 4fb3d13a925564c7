package history

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/ent/webhook"
	"github.com/wexio/webhooks/ent/webhooklog"
	"github.com/wexio/webhooks/ent/workspace"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/tenant"

	"entgo.io/contrib/entgql"
	"entgo.io/ent/dialect/sql"
)

// newest is the order of the webhookLogs resolver: newest first by id.
var newest = &ent.WebhookLogOrder{Direction: entgql.OrderDirectionDesc, Field: ent.DefaultWebhookLogOrder.Field}

// BenchmarkFilteredPage reads the first page of 50 of webhookLogs, newest
// first, from a database of HISTORY_BENCH_ROWS log rows (1,000,000), for
// each single filter, in the workspace holding 95% of them. "page" is the
// rows query (what the webhookLogs resolver runs for edges and pageInfo);
// "totalCount" is CountLogs, which a page selecting totalCount adds. Each
// reports p50 and p99; "rows" is the page's length or the count.
func BenchmarkFilteredPage(b *testing.B) {
	d := benchStore(b, benchRows(b), false)
	sys := auth.System(context.Background())
	ws, err := d.Read.Workspace.Query().Where(workspace.Name("bench")).Only(sys)
	if err != nil {
		b.Fatal(err)
	}
	hook, err := d.Read.Webhook.Query().Where(webhook.Name("bench0")).Only(sys)
	if err != nil {
		b.Fatal(err)
	}
	ctx := tenant.WithWorkspace(context.Background(), string(ws.ID))
	inbound := schematype.DirectionInbound
	at := func(d time.Time) *time.Time { return &d }
	str := func(s string) *string { return &s }
	for _, f := range []struct {
		name string
		f    *schematype.LogFilter
	}{
		{"none", &schematype.LogFilter{}},
		{"webhookId", &schematype.LogFilter{WebhookID: &hook.ID}},
		{"direction", &schematype.LogFilter{Direction: &inbound}},
		{"outcomes=REJECTED", &schematype.LogFilter{Outcomes: []schematype.LogOutcome{schematype.OutcomeRejected}}},
		{"outcomes=FAILED,REJECTED", &schematype.LogFilter{Outcomes: []schematype.LogOutcome{schematype.OutcomeFailed, schematype.OutcomeRejected}}},
		{"since=last-hour", &schematype.LogFilter{Since: at(benchEnd.Add(-time.Hour))}},
		{"since=first-day", &schematype.LogFilter{Since: at(benchStart.Add(24 * time.Hour))}},
		{"until=last-hour", &schematype.LogFilter{Until: at(benchEnd.Add(-time.Hour))}},
		{"until=first-day", &schematype.LogFilter{Until: at(benchStart.Add(24 * time.Hour))}},
		{"eventType=contact.created", &schematype.LogFilter{EventType: str("contact.created")}},
		{"eventType=order.*", &schematype.LogFilter{EventType: str("order.*")}},
		{"eventType=webhook.test", &schematype.LogFilter{EventType: str("webhook.test")}},
	} {
		b.Run(f.name+"/page", func(b *testing.B) {
			measure(b, func() (int, error) {
				rows, err := d.Read.WebhookLog.Query().Where(LogPredicates(f.f)...).
					Order(webhooklog.ByID(sql.OrderDesc())).Limit(51).All(ctx)
				return len(rows), err
			})
		})
		b.Run(f.name+"/totalCount", func(b *testing.B) {
			measure(b, func() (int, error) { return CountLogs(ctx, d.Read, d.Dialect, f.f) })
		})
	}
}

// measure runs read once per iteration and reports its p50 and p99 in ms
// and the rows it returned.
func measure(b *testing.B, read func() (int, error)) {
	var took []time.Duration
	var rows int
	for b.Loop() {
		began := time.Now()
		n, err := read()
		took = append(took, time.Since(began))
		if err != nil {
			b.Fatal(err)
		}
		rows = n
	}
	slices.Sort(took)
	ms := func(q float64) float64 {
		return float64(took[int(q*float64(len(took)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(ms(0.50), "p50-ms")
	b.ReportMetric(ms(0.99), "p99-ms")
	b.ReportMetric(float64(rows), "rows")
}
