package outbound_test

import (
	"context"
	"testing"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/delivery"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/outbound"
)

// BenchmarkLoadClaimed measures reading a claim's 256 deliveries with
// their webhook and event, as the claimer does after each claim: every
// column of both rows, against the columns an attempt reads.
func BenchmarkLoadClaimed(b *testing.B) {
	e := setup(b)
	wh := e.hook(b, "http://127.0.0.1:1/", nil, 5)
	seed(b, e, wh, 10000)
	ctx := auth.System(context.Background())
	const token = "clm.bench"
	e.db.Write.Delivery.Update().SetClaimToken(token).ExecX(ctx)
	ids := e.db.Read.Delivery.Query().Order(ent.Asc(delivery.FieldID)).IDsX(ctx)
	claim := func(i int) []pulid.ID { o := (i * 256) % (len(ids) - 256); return ids[o : o+256] }
	load := map[string]func([]pulid.ID) ([]*ent.Delivery, error){
		"every_column": func(ids []pulid.ID) ([]*ent.Delivery, error) {
			return e.db.Read.Delivery.Query().Where(delivery.IDIn(ids...), delivery.ClaimToken(token)).
				WithWebhook().WithEvent().All(ctx)
		},
		"attempt_columns": func(ids []pulid.ID) ([]*ent.Delivery, error) {
			return outbound.LoadDeliveries(ctx, e.db.Read, ids, token)
		},
	}
	for _, name := range []string{"every_column", "attempt_columns"} {
		b.Run(name, func(b *testing.B) {
			for i := range b.N {
				dls, err := load[name](claim(i))
				if err != nil || len(dls) != 256 || dls[0].Edges.Event == nil || dls[0].Edges.Webhook == nil {
					b.Fatalf("loaded %d deliveries, err %v", len(dls), err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*256), "µs/delivery")
		})
	}
}
