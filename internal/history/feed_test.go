package history

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/livetail"
	"github.com/wexio/webhooks/internal/testkit"
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
	f := NewFeed(e.d.Read, e.d.Dialect, b, e.d.Notifier, slog.New(slog.DiscardHandler))

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

// TestFeedFramesFollowCommitOrder: rows committed one transaction after
// another reach a subscriber in that order, however they were written
// (the inbound path's one INSERT, the attempts' InsertLogs, ent's create).
// On PostgreSQL the database announces them itself as it commits
// (pgFeedObjects) and Publish sends nothing; elsewhere Publish announces
// them.
func TestFeedFramesFollowCommitOrder(t *testing.T) {
	t.Parallel()
	e := setup(t)
	b := livetail.NewBroker[*ent.WebhookLog]()
	f := NewFeed(e.d.Read, e.d.Dialect, b, e.d.Notifier, slog.New(slog.DiscardHandler))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = f.Run(ctx) }()
	s, _ := tailOf(b, e.hook.ID)
	// A first row, announced until it arrives: the feed is listening.
	probe := e.log(t, now.Add(-time.Hour))
	testkit.Eventually(t, "the feed to listen", func() bool {
		if !announcesLogs(e.d.Dialect) {
			f.Publish(probe)
		}
		select {
		case <-s.C():
			return true
		case <-time.After(50 * time.Millisecond):
			return false
		}
	})
	ins := LogInserter(e.d.Dialect)
	var want []pulid.ID
	for i := range 12 {
		at := now.Add(time.Duration(i) * time.Second)
		var row *ent.WebhookLog
		switch i % 3 {
		case 0:
			row = e.log(t, at)
		case 1:
			ev := e.event(t, at)
			dl := e.delivery(t, ev, schematype.DeliveryPending, at)
			lr := must[*LogRow](t)(NewAttemptRow(Attempt{WorkspaceID: e.hook.WorkspaceID, WebhookID: e.hook.ID,
				EventID: ev.ID, DeliveryID: dl.ID, Number: 1, At: at,
				Request: schematype.HTTPMessage{Method: "POST", URL: "https://example.com"}}))
			row = lr.Log()
			if err := e.w.Insert(e.ctx, ins, lr, nil); err != nil {
				t.Fatal(err)
			}
		case 2:
			lr := must[*LogRow](t)((&InboundRow{ID: logIDAt(at), WorkspaceID: e.hook.WorkspaceID, WebhookID: e.hook.ID,
				Request:    LogRequest(httptest.NewRequest(http.MethodPost, "/in/tok", nil), nil, "", "https://hooks.example.com"),
				ReceivedAt: at, Outcome: schematype.OutcomeAccepted, Status: http.StatusAccepted}).Row())
			row = lr.Log()
			if err := e.w.Insert(e.ctx, ins, lr, nil); err != nil {
				t.Fatal(err)
			}
		}
		if !announcesLogs(e.d.Dialect) {
			f.Publish(row)
		}
		want = append(want, row.ID)
	}
	var got []pulid.ID
	for len(got) < len(want) {
		select {
		case r := <-s.C():
			if r.ID != probe.ID { // announced more than once on SQLite
				got = append(got, r.ID)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("frames %v, want %v", got, want)
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("frames %v, want the commit order %v", got, want)
	}
}
