package history

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/ent/webhook"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/db/dbtest"
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
	dbtest.SQLiteOnly(b) // the seeded history is a SQLite file
	ctx := auth.System(context.Background())
	path := filepath.Join(b.TempDir(), "prune.db")
	if err := copyFile(seededDB(b, benchRows(b)), path); err != nil {
		b.Fatal(err)
	}
	d := openStore(b, path)
	w := d.Writer
	b.Cleanup(func() { _ = d.Close() })
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
