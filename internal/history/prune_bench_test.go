package history

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/ent/webhook"
	"github.com/wexio/webhooks/ent/webhooklog"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/store"
)

// BenchmarkPruneBatch times one delete job of DefaultBatchSize rows through
// the groupcommit writer, per kind, against the seeded history database of
// BenchmarkFilteredPage (a copy of it): ns/op is how long one batch holds
// the write lock, the longest an ingestion write waits behind the pruner.
// Each iteration first adds a batch of expired rows (untimed). Deleting
// events relies on the webhook_logs(event_id) index: each deleted event sets
// its log rows' event_id to NULL.
func BenchmarkPruneBatch(b *testing.B) {
	ctx := auth.System(context.Background())
	d := benchStore(b, benchRows(b), true)
	w := d.Writer
	hook, err := d.Read.Webhook.Query().Where(webhook.Name("bench4")).Only(ctx) // outbound
	if err != nil {
		b.Fatal(err)
	}
	fresh, err := addEvents(ctx, d.Write, hook, benchEnd) // never expire
	if err != nil {
		b.Fatal(err)
	}
	cutoff := benchStart
	expired := benchStart.Add(-time.Hour)
	byName := map[string]kind{}
	for _, k := range kinds(&Counts{}) {
		byName[k.name] = k
	}
	for _, bc := range []struct {
		kind string
		add  func() error
	}{
		{"log rows", func() error { return addLogs(ctx, d.Write, hook, expired) }},
		{"deliveries", func() error { return addDeliveries(ctx, d.Write, hook, fresh, expired) }},
		{"events", func() error { _, err := addEvents(ctx, d.Write, hook, expired); return err }},
	} {
		k := byName[bc.kind]
		b.Run(bc.kind, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				if err := bc.add(); err != nil {
					b.Fatal(err)
				}
				ids, err := k.find(ctx, d.Read, cutoff, DefaultBatchSize)
				if err != nil || len(ids) != DefaultBatchSize {
					b.Fatalf("found %d expired %s (%v)", len(ids), k.name, err)
				}
				b.StartTimer()
				err = w.Do(ctx, func(ctx context.Context, tx *ent.Tx, _ *store.Hooks) error {
					_, err := k.del(ctx, tx.Client(), ids, cutoff)
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func addLogs(ctx context.Context, c *ent.Client, hook *ent.Webhook, at time.Time) error {
	bulk := make([]*ent.WebhookLogCreate, DefaultBatchSize)
	for i := range bulk {
		bulk[i] = c.WebhookLog.Create().SetWorkspaceID(hook.WorkspaceID).SetWebhookID(hook.ID).
			SetDirection(hook.Direction).SetOutcome(schematype.OutcomeSucceeded).
			SetOccurredAt(at).SetRequest(schematype.HTTPMessage{})
	}
	return c.WebhookLog.CreateBulk(bulk...).Exec(ctx)
}

func addEvents(ctx context.Context, c *ent.Client, hook *ent.Webhook, at time.Time) ([]*ent.Event, error) {
	bulk := make([]*ent.EventCreate, DefaultBatchSize)
	for i := range bulk {
		bulk[i] = c.Event.Create().SetWorkspaceID(hook.WorkspaceID).SetType("order.paid").
			SetOccurredAt(at).SetData([]byte("{}"))
	}
	return c.Event.CreateBulk(bulk...).Save(ctx)
}

// addDeliveries adds deliveries of evs to hook, finished at at.
func addDeliveries(ctx context.Context, c *ent.Client, hook *ent.Webhook, evs []*ent.Event, at time.Time) error {
	bulk := make([]*ent.DeliveryCreate, len(evs))
	for i, ev := range evs {
		bulk[i] = c.Delivery.Create().SetWorkspaceID(hook.WorkspaceID).SetEventID(ev.ID).
			SetWebhookID(hook.ID).SetStatus(schematype.DeliverySucceeded).SetCreatedAt(at).SetUpdatedAt(at)
	}
	return c.Delivery.CreateBulk(bulk...).Exec(ctx)
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		_ = dst.Close()
		return err
	}
	return dst.Close()
}

// BenchmarkPruneBesideIngestion measures what a retention pass costs the
// writes beside it: 16 goroutines write log rows through the writer as
// the inbound path does (store.Writer.Insert), first alone for 3 s, then
// while a pass deletes 20,000 expired log rows from the seeded history
// (HISTORY_BENCH_ROWS). It reports the writes' p99 and worst latency in
// each phase and the pass's duration. On SQLite each delete batch is a
// writer job, which the writes queue behind; on PostgreSQL the pass runs
// beside them, in transactions of its own (Deps.Write).
func BenchmarkPruneBesideIngestion(b *testing.B) {
	ctx := auth.System(context.Background())
	d := benchStore(b, benchRows(b), true)
	hook, err := d.Read.Webhook.Query().Where(webhook.Name("bench0")).Only(ctx) // inbound
	if err != nil {
		b.Fatal(err)
	}
	deps := Deps{Writer: d.Writer, Read: d.Read, Dialect: d.Dialect}
	if d.Caps.RowLocks {
		deps.Write = d.Write
	}
	p, err := NewPruner(Config{Retention: retention, Now: func() time.Time { return now }}, deps)
	if err != nil {
		b.Fatal(err)
	}
	ins := LogInserter(d.Dialect)
	req := LogRequest(httptest.NewRequest(http.MethodPost, "/in/tok", nil), []byte(`{"a":1}`), "", "https://hooks.example.com")
	// write inserts rows until stop is closed and returns their latencies.
	write := func(stop <-chan struct{}) []time.Duration {
		var mu sync.Mutex
		var took []time.Duration
		var wg sync.WaitGroup
		for range 16 {
			wg.Go(func() {
				for {
					select {
					case <-stop:
						return
					default:
					}
					row, err := (&InboundRow{ID: webhooklog.DefaultID(), WorkspaceID: hook.WorkspaceID, WebhookID: hook.ID,
						Request: req, ReceivedAt: time.Now(), Outcome: schematype.OutcomeAccepted, Status: http.StatusAccepted}).Row()
					if err != nil {
						b.Error(err)
						return
					}
					began := time.Now()
					if err := d.Writer.Insert(ctx, ins, row, nil); err != nil {
						b.Error(err)
						return
					}
					mu.Lock()
					took = append(took, time.Since(began))
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		slices.Sort(took)
		return took
	}
	report := func(phase string, took []time.Duration) {
		if len(took) == 0 {
			b.Fatalf("%s: no writes", phase)
		}
		ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
		b.ReportMetric(ms(took[len(took)*99/100]), phase+"-p99-ms")
		b.ReportMetric(ms(took[len(took)-1]), phase+"-max-ms")
	}
	b.ResetTimer()
	for b.Loop() {
		for range 40 {
			if err := addLogs(ctx, d.Write, hook, benchStart.Add(-time.Hour)); err != nil {
				b.Fatal(err)
			}
		}
		stop := make(chan struct{})
		time.AfterFunc(3*time.Second, func() { close(stop) })
		alone := write(stop)

		stop = make(chan struct{})
		var c Counts
		var passErr error
		var pass time.Duration
		go func() {
			began := time.Now()
			c, passErr = p.PruneOnce(ctx)
			pass = time.Since(began)
			close(stop)
		}()
		beside := write(stop)
		if passErr != nil || c.Logs < 20_000 {
			b.Fatalf("the pass deleted %d log rows: %v", c.Logs, passErr)
		}
		report("alone", alone)
		report("pruning", beside)
		b.ReportMetric(float64(pass.Milliseconds()), "pass-ms")
	}
}
