package history

import (
	"context"

	"log/slog"
	"strings"

	"entgo.io/ent/dialect"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/ent/webhooklog"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/livetail"
	"github.com/wexio/webhooks/internal/store"
)

// feedQueue bounds the committed batches waiting to be loaded; the loader
// drains it whole each round, so it only fills if the read pool stalls.
const feedQueue = 4096

// Feed turns committed log rows into live-tail frames, whichever server
// committed them. The rows are announced on the store's notifier
// (store.Logs): on PostgreSQL by the database itself as it commits them
// (pgFeedObjects), to every server in commit order; elsewhere by Publish,
// which writers call with rows bound to their finished transaction. Each
// server's feed loads the rows its subscribers want once through its read
// pool (so GraphQL can resolve the rows' edges there) and publishes them
// to its broker in the order they were announced: one query per batch,
// not one per subscriber. Publish never blocks the writer. Rows the feed
// loses (its queue full, a failed load) end the subscriptions that wanted
// them, as a slow subscriber's does, so nobody misses frames without being
// told.
type Feed struct {
	read     *ent.Client
	broker   *livetail.Broker[*ent.WebhookLog]
	notifier store.Notifier
	queue    chan []*ent.WebhookLog
	log      *slog.Logger
	// announced: the database announces committed rows itself, in commit
	// order (PostgreSQL: pgFeedObjects), and Publish has nothing to do.
	announced bool
}

var _ livetail.Publisher[*ent.WebhookLog] = (*Feed)(nil)

// NewFeed returns a feed into broker of the rows of read's database, of
// SQL dialect dialect (sqlDialect); call Run to start loading.
func NewFeed(read *ent.Client, dialect string, broker *livetail.Broker[*ent.WebhookLog], n store.Notifier, log *slog.Logger) *Feed {
	return &Feed{read: read, broker: broker, notifier: n, queue: make(chan []*ent.WebhookLog, feedQueue), log: log,
		announced: announcesLogs(dialect)}
}

// announcesLogs reports whether a database of dialect announces its
// committed log rows itself (MigrateCounters installs the trigger).
func announcesLogs(d string) bool { return sqlDialect(d) == dialect.Postgres }

// Publish announces rows just committed to every server's feed, unless
// the database announced them as it committed them.
func (f *Feed) Publish(rows ...*ent.WebhookLog) {
	if len(rows) > 0 && !f.announced {
		f.notifier.Notify(store.Logs, encodeRows(rows))
	}
}

// receive queues the announced rows some subscriber of this server wants;
// rows nobody subscribes to cost one filter call each and are never
// loaded.
func (f *Feed) receive(payload string) {
	var wanted []*ent.WebhookLog
	for _, r := range decodeRows(payload) {
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

// Run hears announced rows, and loads and publishes those wanted, until
// ctx is done.
func (f *Feed) Run(ctx context.Context) error {
	defer f.notifier.Listen(store.Logs, f.receive)()
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
		rows, err := f.read.WebhookLog.Query().Where(webhooklog.IDIn(ids...)).WithWebhook().All(ctx)
		if err != nil {
			f.log.Error("loading live tail rows: frames dropped", "err", err, "rows", len(ids))
			f.broker.DropWanting(batch...)
			continue
		}
		f.broker.Publish(inOrder(ids, rows)...)
	}
}

// inOrder is rows in the order of ids, the order they were announced in:
// commit order. A row announced and gone since (pruned) is skipped.
func inOrder(ids []pulid.ID, rows []*ent.WebhookLog) []*ent.WebhookLog {
	byID := make(map[pulid.ID]*ent.WebhookLog, len(rows))
	for _, r := range rows {
		byID[r.ID] = r
	}
	out := make([]*ent.WebhookLog, 0, len(rows))
	for _, id := range ids {
		if r, ok := byID[id]; ok {
			out = append(out, r)
			delete(byID, id) // announced twice: published once
		}
	}
	return out
}

// encodeRows is the store.Logs payload of rows: what a subscription's
// filter reads of each (id, workspace, webhook, direction), items joined
// by ';' as the notifier merges them. Ids and enums hold neither ',' nor
// ';'.
func encodeRows(rows []*ent.WebhookLog) string {
	var b strings.Builder
	for i, r := range rows {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(string(r.ID))
		b.WriteByte(',')
		b.WriteString(string(r.WorkspaceID))
		b.WriteByte(',')
		b.WriteString(string(r.WebhookID))
		b.WriteByte(',')
		b.WriteString(string(r.Direction))
	}
	return b.String()
}

// decodeRows reads encodeRows' payload back, skipping what does not parse.
func decodeRows(payload string) []*ent.WebhookLog {
	var rows []*ent.WebhookLog
	for item := range strings.SplitSeq(payload, ";") {
		f := strings.Split(item, ",")
		if len(f) != 4 {
			continue
		}
		rows = append(rows, &ent.WebhookLog{ID: pulid.ID(f[0]), WorkspaceID: pulid.ID(f[1]),
			WebhookID: pulid.ID(f[2]), Direction: schematype.Direction(f[3])})
	}
	return rows
}
