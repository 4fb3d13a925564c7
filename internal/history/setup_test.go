package history

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/db/dbtest"
	"github.com/wexio/webhooks/internal/db/sqlite"
	"github.com/wexio/webhooks/internal/store"
)

// now is the injected clock's time; with retention of 30 days, rows at old
// are past the cutoff and rows at young are inside the window.
var (
	now       = time.Date(2026, 11, 26, 17, 0, 0, 0, time.UTC)
	retention = 30 * 24 * time.Hour
	old       = now.Add(-retention - time.Hour)
	young     = now.Add(-retention + time.Hour)
)

// env is one database with a workspace holding one outbound webhook and one
// flow, and a groupcommit writer over it.
type env struct {
	d    *store.Store
	w    store.Writer
	ctx  context.Context // scoped to the workspace
	hook *ent.Webhook
	flow *ent.Flow
	once sync.Once
}

// setup opens a new store of the backend under test with the counters, as
// a server opens its database.
func setup(tb testing.TB) *env {
	tb.Helper()
	d := dbtest.Open(tb, MigrateCounters)
	w := d.Writer
	e := &env{d: d, w: w, ctx: dbtest.Workspace(tb, d.Write, "A")}
	tb.Cleanup(e.close)
	e.hook = must[*ent.Webhook](tb)(d.Write.Webhook.Create().SetName("out").SetDirection(schematype.DirectionOutbound).
		SetURL("https://example.com/h").SetEvents([]string{"*"}).Save(e.ctx))
	e.flow = must[*ent.Flow](tb)(d.Write.Flow.Create().SetName("f").SetTriggerType(schematype.TriggerWebhookReceived).
		SetSteps([]schematype.FlowStep{}).Save(e.ctx))
	return e
}

// openStore opens the SQLite file at path with the counters: the
// benchmarks' seeded history, closed by the caller.
func openStore(tb testing.TB, path string) *store.Store {
	tb.Helper()
	d, err := sqlite.Open(context.Background(), path, store.Options{Migrations: []store.Migration{MigrateCounters}})
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// close closes the writer and the database, once.
func (e *env) close() {
	e.once.Do(func() { _ = e.d.Close() })
}

// pruner returns a pruner over e on the injected clock.
func (e *env) pruner(tb testing.TB, batch int) *Pruner {
	tb.Helper()
	deps := Deps{Writer: e.w, Read: e.d.Read, Dialect: e.d.Dialect}
	if e.d.Caps.RowLocks { // as the server wires it
		deps.Write = e.d.Write
	}
	p, err := NewPruner(Config{Retention: retention, BatchSize: batch, Now: func() time.Time { return now }}, deps)
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

func must[T any](tb testing.TB) func(T, error) T {
	return func(v T, err error) T {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
		return v
	}
}

// log writes an outbound log row at at, its id minted then, as a row
// written at that time has it.
func (e *env) log(tb testing.TB, at time.Time) *ent.WebhookLog {
	return must[*ent.WebhookLog](tb)(e.d.Write.WebhookLog.Create().SetID(logIDAt(at)).SetWebhookID(e.hook.ID).
		SetDirection(schematype.DirectionOutbound).SetOutcome(schematype.OutcomeSucceeded).
		SetOccurredAt(at).SetRequest(schematype.HTTPMessage{}).Save(e.ctx))
}

func (e *env) idem(tb testing.TB, key string, at time.Time) *ent.IdempotencyKey {
	return must[*ent.IdempotencyKey](tb)(e.d.Write.IdempotencyKey.Create().SetWebhookID(e.hook.ID).
		SetKey(key).SetStatusCode(200).SetResponseBody([]byte("ok")).SetLogID("log_x").SetCreatedAt(at).Save(e.ctx))
}

func (e *env) event(tb testing.TB, at time.Time) *ent.Event {
	return must[*ent.Event](tb)(e.d.Write.Event.Create().SetType("contact.created").
		SetOccurredAt(at).SetData([]byte("{}")).Save(e.ctx))
}

// delivery adds ev's delivery to the hook, in status st, last updated at.
func (e *env) delivery(tb testing.TB, ev *ent.Event, st schematype.DeliveryStatus, at time.Time) *ent.Delivery {
	return must[*ent.Delivery](tb)(e.d.Write.Delivery.Create().SetEventID(ev.ID).SetWebhookID(e.hook.ID).
		SetStatus(st).SetCreatedAt(ev.OccurredAt).SetUpdatedAt(at).Save(e.ctx))
}

// run adds a flow run in status st, finished at finished when not zero.
func (e *env) run(tb testing.TB, st schematype.FlowRunStatus, finished time.Time, logID *pulid.ID) *ent.FlowRun {
	c := e.d.Write.FlowRun.Create().SetFlowID(e.flow.ID).SetStatus(st).SetNillableLogID(logID).
		SetCreatedAt(old.Add(-time.Hour)).SetUpdatedAt(old)
	if !finished.IsZero() {
		c.SetFinishedAt(finished)
	}
	return must[*ent.FlowRun](tb)(c.Save(e.ctx))
}

// exec runs statements on e's database, outside any transaction.
func (e *env) exec(tb testing.TB, stmts ...string) {
	tb.Helper()
	for _, stmt := range stmts {
		if _, err := e.d.Write.ExecContext(context.Background(), stmt); err != nil {
			tb.Fatalf("%s: %v", stmt, err)
		}
	}
}

// queryString runs a query of one value on e's database and returns it as
// text.
func (e *env) queryString(tb testing.TB, query string, args ...any) string {
	tb.Helper()
	rows, err := e.d.Write.QueryContext(context.Background(), query, args...)
	if err != nil {
		tb.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	var v string
	if !rows.Next() {
		tb.Fatalf("%s: no row (%v)", query, rows.Err())
	}
	if err := rows.Scan(&v); err != nil {
		tb.Fatalf("%s: %v", query, err)
	}
	return v
}
