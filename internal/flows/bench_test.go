package flows

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/flowrun"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/store"
)

// BenchmarkRuns measures three-step runs (EMIT_EVENT, UPDATE_CONTACT,
// SEND_MESSAGE, one "*" outbound webhook: four events and four deliveries
// per run) end to end through Run: claim, execute, commit. Each run has its
// own contact and log row, written before the timer starts.
//
//	go test -run '^$' -bench BenchmarkRuns -benchtime 20000x ./internal/flows/
func BenchmarkRuns(b *testing.B) {
	e := setup(b)
	f := threeCardsB(e, b)
	seed(b, e, f, b.N)
	finished := make(chan struct{}, b.N)
	e.onFinished(func() { finished <- struct{}{} })
	r, err := New(Config{Now: e.clk.Now, Workers: 128, PollInterval: time.Hour}, e.deps())
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	b.ResetTimer()
	go func() { _ = r.Run(ctx) }()
	for range b.N {
		<-finished
	}
	b.StopTimer()
	cancel()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "runs/s")
	if n := e.c.FlowRun.Query().Where(flowrun.StatusEQ(schematype.RunSucceeded)).CountX(e.ctx); n != b.N {
		b.Fatalf("%d of %d runs SUCCEEDED", n, b.N)
	}
}

func threeCardsB(e *env, b *testing.B) *ent.Flow {
	f, err := e.svc.Create(e.ctx, e.c, CreateInput{Name: "bench", Trigger: e.trigger(), Steps: []StepInput{
		emitStep("order.paid", map[string]any{"total": "{{payload.order.total}}", "id": "{{payload.order.id}}"}),
		updateStep(map[string]any{"name": "{{payload.customer.name}}", "attributes.lastOrder": "{{payload.order.id}}"}),
		sendStep("whatsapp", "Thanks {{contact.name}}, order {{contact.attributes.lastOrder}}"),
	}})
	if err != nil {
		b.Fatal(err)
	}
	return f
}

// seed writes n contacts, log rows and PENDING runs of f, 500 per job.
func seed(b *testing.B, e *env, f *ent.Flow, n int) {
	for start := 0; start < n; start += 500 {
		end := min(start+500, n)
		err := e.w.Do(e.ctx, func(ctx context.Context, tx *ent.Tx, _ *store.Hooks) error {
			for i := start; i < end; i++ {
				if err := seedOne(ctx, tx.Client(), e, f, i); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

func seedOne(ctx context.Context, c *ent.Client, e *env, f *ent.Flow, i int) error {
	ct, err := c.Contact.Create().SetEmail(fmt.Sprintf("u%d@example.com", i)).Save(ctx)
	if err != nil {
		return err
	}
	raw := fmt.Sprintf(`{"order":{"id":"o%d","total":%d.5},"customer":{"name":"User %d"}}`, i, i, i)
	l, err := c.WebhookLog.Create().SetWebhookID(e.in.ID).SetDirection(schematype.DirectionInbound).
		SetOutcome(schematype.OutcomeAccepted).SetContactID(ct.ID).
		SetRequest(schematype.HTTPMessage{Method: "POST", Body: raw,
			Headers: map[string]string{"Content-Type": "application/json"}}).Save(ctx)
	if err != nil {
		return err
	}
	return c.FlowRun.Create().SetFlowID(f.ID).SetLogID(l.ID).SetContactID(ct.ID).
		SetStatus(schematype.RunPending).SetNextAttemptAt(t0).Exec(ctx)
}
