package storetest

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/delivery"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/store"
	"github.com/wexio/webhooks/internal/testkit"
)

// testWake: whatever makes a delivery or a flow run due wakes its workers
// once the transaction commits, never before and never after a rollback;
// finishing a row wakes nobody.
func testWake(t *testing.T, open Open) {
	f := newFixture(t, open)
	var woken atomic.Int64
	defer f.st.Notifier.Listen(store.Deliveries, func(string) { woken.Add(1) })()
	wait := func(want int64) {
		t.Helper()
		testkit.Eventually(t, "the dispatcher's wake-up", func() bool { return woken.Load() >= want })
		if n := woken.Load(); n != want {
			t.Fatalf("woken %d times, want %d", n, want)
		}
	}

	// Through the writer: woken after the commit, not inside the job.
	err := f.st.Writer.Do(f.ctx, func(ctx context.Context, tx *ent.Tx, _ *store.Hooks) error {
		if err := tx.Delivery.Create().SetEventID(f.event.ID).SetWebhookID(f.hook.ID).
			SetNextAttemptAt(time.Now().UTC()).Exec(ctx); err != nil {
			return err
		}
		if n := woken.Load(); n != 0 {
			t.Errorf("woken %d times before the commit", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	wait(1)

	// A transaction rolled back wakes nobody.
	ids := f.deliveries(t, 1, time.Now()) // committed: wakes once
	tx, err := f.st.Write.Tx(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Delivery.Update().Where(delivery.IDIn(ids...)).SetNextAttemptAt(time.Now().UTC()).Exec(f.ctx); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	wait(2)

	// A release (lease dropped, still due) wakes; a finish does not.
	if err := f.st.Write.Delivery.UpdateOneID(ids[0]).SetClaimedUntil(time.Now().Add(time.Minute)).Exec(f.ctx); err != nil {
		t.Fatal(err)
	}
	if err := f.st.Write.Delivery.UpdateOneID(ids[0]).ClearClaimedUntil().Exec(f.ctx); err != nil {
		t.Fatal(err)
	}
	wait(3)
	if err := f.st.Write.Delivery.UpdateOneID(ids[0]).SetClaimedUntil(time.Now().Add(time.Minute)).Exec(f.ctx); err != nil {
		t.Fatal(err)
	}
	if err := f.st.Write.Delivery.UpdateOneID(ids[0]).ClearClaimedUntil().ClearNextAttemptAt().
		SetStatus(schematype.DeliverySucceeded).Exec(f.ctx); err != nil {
		t.Fatal(err)
	}
	// Proven by a later wake-up: had the finish woken, the count would
	// pass 4 first.
	f.deliveries(t, 1, time.Now())
	wait(4)

	// A webhook changed: every cache hears of it after the commit.
	var changed atomic.Int64
	defer f.st.Notifier.Listen(store.Config, func(string) { changed.Add(1) })()
	if err := f.st.Write.Webhook.UpdateOne(f.hook).SetName("renamed").Exec(f.ctx); err != nil {
		t.Fatal(err)
	}
	testkit.Eventually(t, "the caches' invalidation", func() bool { return changed.Load() == 1 })
}
