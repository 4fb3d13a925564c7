package history

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/internal/livetail"
)

// tailOf subscribes to webhook id's rows and reports whether it was told
// of a drop.
func tailOf(b *livetail.Broker[*ent.WebhookLog], id pulid.ID) (*livetail.Subscription[*ent.WebhookLog], chan struct{}) {
	told := make(chan struct{})
	s := b.SubscribeFunc(context.Background(), func(r *ent.WebhookLog) bool { return r.WebhookID == id },
		func() { close(told) })
	return s, told
}

func waitTold(t *testing.T, told chan struct{}, what string) {
	t.Helper()
	select {
	case <-told:
	case <-time.After(5 * time.Second):
		t.Fatalf("%s: the subscriber was not told", what)
	}
}

// TestFeedLosingRowsEndsTheirSubscriptions: rows the feed cannot queue or
// cannot load end the subscriptions that wanted them (SLOW_SUBSCRIBER in
// GraphQL), and only those.
func TestFeedLosingRowsEndsTheirSubscriptions(t *testing.T) {
	t.Parallel()
	e := setup(t)
	row := e.log(t, now)
	b := livetail.NewBroker[*ent.WebhookLog]()
	f := NewFeed(e.d.Read, b, e.d.Notifier, slog.New(slog.DiscardHandler))

	// Queue full.
	wanting, told := tailOf(b, e.hook.ID)
	other, _ := tailOf(b, "wh_other")
	f.queue = make(chan []*ent.WebhookLog)        // no room at all
	f.receive(encodeRows([]*ent.WebhookLog{row})) // as Run hears it
	waitTold(t, told, "queue full")
	if !wanting.Dropped() || other.Dropped() || b.Len() != 1 {
		t.Fatalf("dropped: wanting %v, other %v; %d left", wanting.Dropped(), other.Dropped(), b.Len())
	}

	// Load failed.
	_, told = tailOf(b, e.hook.ID)
	f.queue = make(chan []*ent.WebhookLog, 1)
	f.receive(encodeRows([]*ent.WebhookLog{row}))
	e.close() // the read pool is gone: the load fails
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = f.Run(ctx) }()
	waitTold(t, told, "load failed")
	if other.Dropped() {
		t.Fatal("a subscriber that wanted nothing lost was dropped")
	}
}
