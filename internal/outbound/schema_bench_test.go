package outbound_test

import (
	"context"
	"runtime"
	"strings"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/delivery"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/history"
	"github.com/wexio/webhooks/internal/outbound"
	"github.com/wexio/webhooks/internal/store"
)

// BenchmarkRecordSchema measures what one piece of the schema costs the
// database side of a delivery, on SQLite: its lease, its attempt row and
// its success, written as the dispatcher writes them (the claim's lease
// per 256, history.InsertLogs and the success UPDATE per 64, each batch
// committed). Two databases seeded alike, A as migrated and B without the
// piece a sub-benchmark names, take the same work in turns of one claim,
// on one locked OS thread whose CPU time each turn adds to its side: the
// machine's drift falls on both alike, and as_is (B = A) reads 1.00. It
// reports each side's CPU per delivery and B/A: what dropping the piece
// would buy, and so whether a piece no query needs is worth a decision.
//
//	go test ./internal/outbound/ -run '^$' -bench RecordSchema -benchtime 20000x
func BenchmarkRecordSchema(b *testing.B) {
	if !threadCPUMeasured {
		b.Skip("thread CPU time is read on Linux only")
	}
	for _, v := range []struct{ name, sql string }{
		{"as_is", ""},
		{"no_count_trigger", "DROP TRIGGER log_counts_insert"},
		{"no_foreign_keys", "PRAGMA foreign_keys = OFF"},
		{"no_log_webhook_index", "DROP INDEX webhooklog_webhook_id_id"},
		{"no_log_workspace_index", "DROP INDEX webhooklog_workspace_id_id"},
		{"no_log_delivery_index", "DROP INDEX webhooklog_delivery_id"},
		{"no_log_event_index", "DROP INDEX webhooklog_event_id"},
		{"no_delivery_status_index", "DROP INDEX delivery_webhook_id_status_id"},
		// Every temporary file in memory: what statement journals spilling
		// to disk still cost (db/sqlite's StatementJournalSpill).
		{"temp_store_memory", "PRAGMA temp_store = MEMORY"},
		// All of the pieces of the schema above at once: the floor of what
		// schema changes buy.
		{"none_of_them", "DROP TRIGGER log_counts_insert;PRAGMA foreign_keys = OFF;" +
			"DROP INDEX webhooklog_webhook_id_id;DROP INDEX webhooklog_workspace_id_id;DROP INDEX webhooklog_delivery_id;" +
			"DROP INDEX webhooklog_event_id;DROP INDEX delivery_webhook_id_status_id"},
	} {
		b.Run(v.name, func(b *testing.B) {
			a, bb := newSchemaSide(b, ""), newSchemaSide(b, v.sql)
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			b.ResetTimer()
			for off := 0; off < b.N; off += schemaClaim {
				n := min(schemaClaim, b.N-off)
				a.turn(b, n)
				bb.turn(b, n)
			}
			b.StopTimer()
			b.ReportMetric(a.perDelivery(), "A_µs/delivery")
			b.ReportMetric(bb.perDelivery(), "B_µs/delivery")
			b.ReportMetric(float64(bb.cpu)/float64(a.cpu), "B/A")
		})
	}
}

const (
	schemaClaim = 256 // deliveries per claim, as the dispatcher's batch at 64 workers
	schemaBatch = 64  // attempts per recorded batch
)

// schemaSide is one database of BenchmarkRecordSchema.
type schemaSide struct {
	e     *env
	wh    *ent.Webhook
	event map[pulid.ID]pulid.ID // each seeded delivery's event
	cpu   time.Duration
	count int
}

func newSchemaSide(b *testing.B, change string) *schemaSide {
	e := setup(b)
	if e.db.Dialect != dialect.SQLite {
		b.Skip("the pieces dropped are SQLite's")
	}
	wh := e.hook(b, "http://127.0.0.1:1/", nil, 5)
	seed(b, e, wh, b.N)
	ctx := auth.System(context.Background())
	for q := range strings.SplitSeq(change, ";") {
		if q == "" {
			continue
		}
		// The write client has one connection: a PRAGMA sticks to it.
		if _, err := e.db.Write.ExecContext(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	dls, err := e.db.Write.Delivery.Query().Select(delivery.FieldID, delivery.FieldEventID).All(ctx)
	if err != nil {
		b.Fatal(err)
	}
	s := &schemaSide{e: e, wh: wh, event: make(map[pulid.ID]pulid.ID, len(dls))}
	for _, dl := range dls {
		s.event[dl.ID] = dl.EventID
	}
	return s
}

// turn leases the next n deliveries in one transaction, then records an
// attempt at each, schemaBatch to a transaction, as succeeded. Only the
// transactions count: the rows are built outside them, as the
// dispatcher's workers build theirs.
func (s *schemaSide) turn(b *testing.B, n int) {
	ctx := auth.System(context.Background())
	s.count += n
	now := time.Now().UTC()
	token := store.NewToken("bench")
	var ids []pulid.ID
	s.tx(b, func(tx *ent.Tx) (err error) {
		if ids, err = outbound.Deliveries.Unleased(ctx, tx.Client(), now, n, false); err != nil || len(ids) != n {
			b.Fatalf("%d due of %d: %v", len(ids), n, err)
		}
		return outbound.Deliveries.Lease(ctx, tx.Client(), ids, now, now.Add(10*time.Minute), token)
	})
	for i := 0; i < n; i += schemaBatch {
		batch := ids[i:min(i+schemaBatch, n)]
		rows := make([]*history.LogRow, len(batch))
		for j, id := range batch {
			rows[j] = s.attemptRow(b, id, now)
		}
		s.tx(b, func(tx *ent.Tx) error {
			if err := history.InsertLogs(ctx, tx, s.e.db.Dialect, rows...); err != nil {
				return err
			}
			got, err := tx.Delivery.Update().Where(delivery.IDIn(batch...), delivery.ClaimToken(token)).
				AddAttempts(1).ClearClaimedUntil().ClearClaimToken().
				SetStatus(schematype.DeliverySucceeded).ClearNextAttemptAt().Save(ctx)
			if err == nil && got != len(batch) {
				b.Fatalf("%d of %d deliveries marked succeeded", got, len(batch))
			}
			return err
		})
	}
}

// attemptRow is a successful attempt's row at delivery id, as the
// dispatcher writes one: the signed request, with its body, and a 204.
func (s *schemaSide) attemptRow(b *testing.B, id pulid.ID, at time.Time) *history.LogRow {
	evt := s.event[id]
	row, err := history.NewAttemptRow(history.Attempt{
		WorkspaceID: s.wh.WorkspaceID, WebhookID: s.wh.ID, EventID: evt, EventType: "contact.created",
		DeliveryID: id, Number: 1, At: at, Duration: 3 * time.Millisecond, Succeeded: true,
		Request: schematype.HTTPMessage{Method: "POST", URL: s.wh.URL, Headers: map[string]string{
			"Content-Type": "application/json", "User-Agent": "wexio-webhooks/dev", "Webhook-Id": string(evt),
			"Webhook-Signature": "[redacted]", "Webhook-Timestamp": "1795694400"}, Body: string(benchData)},
		Response: &schematype.HTTPMessage{Headers: map[string]string{"Date": at.Format(time.RFC1123)}}, Status: 204,
	})
	if err != nil {
		b.Fatal(err)
	}
	return row
}

// tx runs fn in a transaction of the write client and commits it, adding
// the thread's CPU time meanwhile to s.
func (s *schemaSide) tx(b *testing.B, fn func(*ent.Tx) error) {
	start := threadCPU()
	defer func() { s.cpu += threadCPU() - start }()
	tx, err := s.e.db.Write.Tx(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		b.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

func (s *schemaSide) perDelivery() float64 {
	return float64(s.cpu.Microseconds()) / float64(max(s.count, 1))
}
