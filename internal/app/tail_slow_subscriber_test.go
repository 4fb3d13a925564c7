package app

import (
	"context"
	"strings"
	"testing"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/livetail"
	"github.com/wexio/webhooks/internal/testkit"
)

// A subscriber that falls behind gets one SLOW_SUBSCRIBER error and its
// subscription ends; publishing never waits for it.
func TestLiveTailDropsSlowSubscribers(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	key := ta.newWorkspace(t, "slow")
	c := ta.dialWS(t, "graphql-transport-ws", key)
	c.expect("connection_ack")
	c.subscribe("7", tailQuery, nil)
	testkit.Eventually(t, "the subscription", func() bool { return ta.tail.Len() == 1 })
	// A burst of frames far faster than the subscriber is forwarded: each
	// one costs it a read of the row, publishing costs nothing.
	h := ta.createIn(t, key, map[string]any{})
	ta.postJSON(t, h, `{}`, nil)
	row, err := ta.db.Read.WebhookLog.Query().First(auth.System(context.Background()))
	if err != nil {
		t.Fatal(err)
	}
	batch := make([]*ent.WebhookLog, 4*livetail.DefaultBuffer)
	for i := range batch {
		batch[i] = row
	}
	testkit.Eventually(t, "the subscriber to fall behind", func() bool {
		ta.tail.Publish(batch...)
		return ta.tail.Len() == 0
	})
	for {
		m, err := c.next()
		if err != nil {
			t.Fatalf("no SLOW_SUBSCRIBER error: %v", err)
		}
		if m.Type == "next" {
			continue
		}
		if m.Type != "error" || m.ID != "7" || !strings.Contains(string(m.Payload), "SLOW_SUBSCRIBER") {
			t.Fatalf("frame %+v %s", m, m.Payload)
		}
		break
	}
	if ta.tail.Len() != 0 || ta.tail.Drops() != 1 {
		t.Fatalf("subscribers %d, drops %d", ta.tail.Len(), ta.tail.Drops())
	}
	text := ta.scrape(t) // what an operator's alert sees
	if sample(text, "wexio_livetail_slow_subscribers_total") != 1 || sample(text, "wexio_livetail_subscribers") != 0 {
		t.Fatalf("metrics after the drop: slow %v, subscribers %v", sample(text, "wexio_livetail_slow_subscribers_total"),
			sample(text, "wexio_livetail_subscribers"))
	}
}
