package history

import (
	"context"
	"log/slog"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/webhooklog"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/livetail"
)

// feedQueue bounds the committed batches waiting to be loaded; the loader
// drains it whole each round, so it only fills if the read pool stalls.
const feedQueue = 4096

// Feed turns committed log rows into live-tail frames. Writers hand it
// rows bound to their finished transaction; Feed loads each batch once
// through the read pool (so GraphQL can resolve the rows' edges there) and
// publishes it to the broker: one query per batch, not one per subscriber.
// Publish never blocks the writer.
type Feed struct {
	read   *ent.Client
	broker livetail.Publisher[*ent.WebhookLog]
	wants  func(*ent.WebhookLog) bool // whether any subscriber's filter accepts a row
	queue  chan []pulid.ID
	log    *slog.Logger
}

var _ livetail.Publisher[*ent.WebhookLog] = (*Feed)(nil)

// NewFeed returns a feed into broker; call Run to start loading.
func NewFeed(read *ent.Client, broker *livetail.Broker[*ent.WebhookLog], log *slog.Logger) *Feed {
	return &Feed{read: read, broker: broker, wants: broker.Wants,
		queue: make(chan []pulid.ID, feedQueue), log: log}
}

// Publish queues the committed rows some subscriber wants; rows nobody
// subscribes to cost one filter call each and are never loaded.
func (f *Feed) Publish(rows ...*ent.WebhookLog) {
	var ids []pulid.ID
	for _, r := range rows {
		if f.wants(r) {
			ids = append(ids, r.ID)
		}
	}
	if len(ids) == 0 {
		return
	}
	select {
	case f.queue <- ids:
	default:
		f.log.Error("live tail queue full: frames dropped", "rows", len(ids))
	}
}

// Run loads and publishes queued batches until ctx is done.
func (f *Feed) Run(ctx context.Context) error {
	ctx = auth.System(ctx)
	for {
		var ids []pulid.ID
		select {
		case <-ctx.Done():
			return nil
		case ids = <-f.queue:
		}
	drain: // coalesce whatever else is waiting into the same query
		for len(ids) < 1000 {
			select {
			case more := <-f.queue:
				ids = append(ids, more...)
			default:
				break drain
			}
		}
		// The webhook edge is loaded too: dashboards show it on every frame.
		rows, err := f.read.WebhookLog.Query().Where(webhooklog.IDIn(ids...)).WithWebhook().
			Order(ent.Asc(webhooklog.FieldID)).All(ctx)
		if err != nil {
			f.log.Error("loading live tail rows", "err", err, "rows", len(ids))
			continue
		}
		f.broker.Publish(rows...)
	}
}
