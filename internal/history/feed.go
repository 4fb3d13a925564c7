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
// Publish never blocks the writer. Rows the feed loses (its queue full, a
// failed load) end the subscriptions that wanted them, as a slow
// subscriber's does, so nobody misses frames without being told.
type Feed struct {
	read   *ent.Client
	broker *livetail.Broker[*ent.WebhookLog]
	queue  chan []*ent.WebhookLog
	log    *slog.Logger
}

var _ livetail.Publisher[*ent.WebhookLog] = (*Feed)(nil)

// NewFeed returns a feed into broker; call Run to start loading.
func NewFeed(read *ent.Client, broker *livetail.Broker[*ent.WebhookLog], log *slog.Logger) *Feed {
	return &Feed{read: read, broker: broker, queue: make(chan []*ent.WebhookLog, feedQueue), log: log}
}

// Publish queues the committed rows some subscriber wants; rows nobody
// subscribes to cost one filter call each and are never loaded.
func (f *Feed) Publish(rows ...*ent.WebhookLog) {
	var wanted []*ent.WebhookLog
	for _, r := range rows {
		if f.broker.Wants(r) {
			wanted = append(wanted, r)
		}
	}
	if len(wanted) == 0 {
		return
	}
	select {
	case f.queue <- wanted:
	default:
		f.log.Error("live tail queue full: frames dropped", "rows", len(wanted))
		f.broker.DropWanting(wanted...)
	}
}

// Run loads and publishes queued batches until ctx is done.
func (f *Feed) Run(ctx context.Context) error {
	ctx = auth.System(ctx)
	for {
		var batch []*ent.WebhookLog
		select {
		case <-ctx.Done():
			return nil
		case batch = <-f.queue:
		}
	drain: // coalesce whatever else is waiting into the same query
		for len(batch) < 1000 {
			select {
			case more := <-f.queue:
				batch = append(batch, more...)
			default:
				break drain
			}
		}
		ids := make([]pulid.ID, len(batch))
		for i, r := range batch {
			ids[i] = r.ID
		}
		// The webhook edge is loaded too: dashboards show it on every frame.
		rows, err := f.read.WebhookLog.Query().Where(webhooklog.IDIn(ids...)).WithWebhook().
			Order(ent.Asc(webhooklog.FieldID)).All(ctx)
		if err != nil {
			f.log.Error("loading live tail rows: frames dropped", "err", err, "rows", len(ids))
			f.broker.DropWanting(batch...)
			continue
		}
		f.broker.Publish(rows...)
	}
}
