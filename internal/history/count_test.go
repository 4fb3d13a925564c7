package history

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	"github.com/oklog/ulid/v2"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/ent/webhooklog"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/db/dbtest"
	"github.com/wexio/webhooks/internal/store"
	"github.com/wexio/webhooks/internal/tenant"
)

// countWorld is a workspace with logs of two webhooks spread over ten hours
// at odd instants, with events of three types, next to another workspace
// whose rows must never be counted.
type countWorld struct {
	*env
	in     *ent.Webhook
	start  time.Time
	events map[string]*ent.Event
}

func newCountWorld(t *testing.T, e *env) *countWorld {
	t.Helper()
	w := &countWorld{env: e, start: time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC), events: map[string]*ent.Event{}}
	w.in = must[*ent.Webhook](t)(e.d.Write.Webhook.Create().SetName("in").SetDirection(schematype.DirectionInbound).
		SetToken("tok").Save(e.ctx))
	// Types differing only in case, and some not ASCII ("naïveÀ" follows
	// every "naïve¿…" in byte order): patterns compare bytes, in the rows
	// and in the counters alike.
	types := []string{"contact.created", "order.paid", "order.refunded", "Order.paid", "flow.café.x", "naïve¿.x", "naïveÀ"}
	for _, typ := range types {
		w.events[typ] = must[*ent.Event](t)(e.d.Write.Event.Create().SetType(typ).
			SetOccurredAt(w.start).SetData([]byte("{}")).Save(e.ctx))
	}
	rng := rand.New(rand.NewPCG(1, 2))
	outcomes := []schematype.LogOutcome{schematype.OutcomeSucceeded, schematype.OutcomeFailed,
		schematype.OutcomeAccepted, schematype.OutcomeRejected}
	var creates []*ent.WebhookLogCreate
	for i := range 800 {
		// Over 60 hours: the whole UTC day of the 21st, which PostgreSQL
		// sums from its daily counters, and parts of the days around it.
		at := w.start.Add(time.Duration(rng.Int64N(int64(60 * time.Hour))))
		if i%50 == 0 {
			at = w.start.Add(time.Duration(rng.IntN(60)) * time.Hour) // exactly on an hour
		}
		c := e.d.Write.WebhookLog.Create().SetID(logIDAt(at)).SetOccurredAt(at).SetRequest(schematype.HTTPMessage{}).
			SetOutcome(outcomes[rng.IntN(len(outcomes))])
		if rng.IntN(2) == 0 {
			c.SetWebhookID(w.in.ID).SetDirection(schematype.DirectionInbound)
		} else {
			c.SetWebhookID(e.hook.ID).SetDirection(schematype.DirectionOutbound).
				SetEventID(w.events[types[rng.IntN(len(types))]].ID)
		}
		creates = append(creates, c)
	}
	must[[]*ent.WebhookLog](t)(e.d.Write.WebhookLog.CreateBulk(creates...).Save(e.ctx))

	octx := dbtest.Workspace(t, e.d.Write, "B")
	oh := must[*ent.Webhook](t)(e.d.Write.Webhook.Create().SetName("b").SetDirection(schematype.DirectionInbound).
		SetToken("tok-b").Save(octx))
	for i := range 50 {
		at := w.start.Add(time.Duration(i) * 11 * time.Minute)
		must[*ent.WebhookLog](t)(e.d.Write.WebhookLog.Create().SetID(logIDAt(at)).SetWebhookID(oh.ID).
			SetDirection(schematype.DirectionInbound).SetOutcome(schematype.OutcomeAccepted).SetOccurredAt(at).
			SetRequest(schematype.HTTPMessage{}).Save(octx))
	}
	return w
}

// logIDAt mints a log id at t, as the row would have had if written then:
// the time filters rely on ids following occurred_at.
func logIDAt(t time.Time) pulid.ID {
	return pulid.ID("log_" + ulid.MustNew(ulid.Timestamp(t), ulid.DefaultEntropy()).String())
}

// filters are single and combined filters, with bounds inside hours, on
// hour boundaries, in the same hour, reversed, and outside the data.
func (w *countWorld) filters() []*schematype.LogFilter {
	at := func(d time.Duration) *time.Time { t := w.start.Add(d); return &t }
	str := func(s string) *string { return &s }
	in, out := schematype.DirectionInbound, schematype.DirectionOutbound
	var fs []*schematype.LogFilter
	for _, base := range []schematype.LogFilter{
		{}, {WebhookID: &w.in.ID}, {WebhookID: &w.hook.ID}, {Direction: &in}, {Direction: &out},
		{Outcomes: []schematype.LogOutcome{schematype.OutcomeFailed, schematype.OutcomeRejected}},
		{EventType: str("order.paid")}, {EventType: str("order.*")}, {EventType: str("*")}, {EventType: str("nope")},
		{EventType: str("Order.*")}, {EventType: str("order*")}, {EventType: str("flow.café*")}, {EventType: str("")},
		{EventType: str("naïve¿*")},
		{WebhookID: &w.hook.ID, Outcomes: []schematype.LogOutcome{schematype.OutcomeSucceeded}, EventType: str("contact.created")},
	} {
		for _, r := range [][2]*time.Time{
			{nil, nil},
			{at(90*time.Minute + 7*time.Second + 300*time.Millisecond), nil},
			{nil, at(7*time.Hour + 59*time.Minute)},
			{at(2 * time.Hour), at(5 * time.Hour)},
			{at(2*time.Hour + time.Millisecond), at(5*time.Hour - time.Millisecond)},
			{at(3*time.Hour + 10*time.Minute), at(3*time.Hour + 50*time.Minute)},
			{at(4 * time.Hour), at(4 * time.Hour)},
			{at(6 * time.Hour), at(2 * time.Hour)},
			{at(-48 * time.Hour), at(48 * time.Hour)},
			{at(20 * time.Hour), nil},
			// Whole days inside, with hours and partial hours around them.
			{at(-8*time.Hour + 30*time.Minute), at(40*time.Hour + 5*time.Minute)},
			{at(16 * time.Hour), nil},
			{nil, at(40 * time.Hour)},
			{at(16 * time.Hour), at(40 * time.Hour)},
		} {
			f := base
			f.Since, f.Until = r[0], r[1]
			fs = append(fs, &f)
		}
	}
	return fs
}

// check compares CountLogs with counting the rows themselves.
func (w *countWorld) check(t *testing.T, when string) {
	t.Helper()
	nonzero := 0
	for _, f := range w.filters() {
		want, err := w.d.Read.WebhookLog.Query().Where(LogPredicates(f)...).Count(w.ctx)
		if err != nil {
			t.Fatal(err)
		}
		got, err := CountLogs(w.ctx, w.d.Read, w.d.Dialect, f)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s: %s: CountLogs %d, rows %d", when, describe(f), got, want)
		}
		if want > 0 {
			nonzero++
		}
	}
	if nonzero < 50 {
		t.Fatalf("%s: only %d filters match anything: the world is too thin to test", when, nonzero)
	}
}

func describe(f *schematype.LogFilter) string {
	s := fmt.Sprintf("webhook=%v direction=%v outcomes=%v", deref(f.WebhookID), deref(f.Direction), f.Outcomes)
	return s + fmt.Sprintf(" eventType=%v since=%v until=%v", deref(f.EventType), deref(f.Since), deref(f.Until))
}

func deref[T any](p *T) any {
	if p == nil {
		return "-"
	}
	return *p
}

// TestCountLogsMatchesRows: the counters plus the partial hours count what
// the rows say, for every filter, after inserts, deletes and updates, and
// never another workspace's rows.
func TestCountLogsMatchesRows(t *testing.T) {
	w := newCountWorld(t, setup(t))
	w.check(t, "after inserts")

	// Retention deletes through the triggers too.
	cut := w.start.Add(3*time.Hour + 17*time.Minute)
	n, err := w.d.Write.WebhookLog.Delete().Where(webhooklog.OccurredAtLT(cut)).Exec(w.ctx)
	if err != nil || n == 0 {
		t.Fatalf("deleted %d: %v", n, err)
	}
	w.check(t, "after deletes")
	// Hours emptied by the deletes (the workspace's rows before the cut)
	// leave no counter behind, once the retention pass has folded the
	// counters (PostgreSQL appends a row per change; SQLite folds at once).
	if err := FoldCounters(w.ctx, w.d.Write, w.d.Dialect, time.Time{}); err != nil {
		t.Fatal(err)
	}
	w.check(t, "after the counters were folded")
	var zeros, before int
	ws, _ := tenant.Workspace(w.ctx)
	counters, err := w.d.Read.QueryContext(w.ctx, dbtest.Rebind(w.d.Dialect, `SELECT count(*) FILTER (WHERE n <= 0),
		count(*) FILTER (WHERE hour < ? AND workspace_id = ?) FROM log_counts`), cut.Unix()/3600, ws)
	if err != nil {
		t.Fatal(err)
	}
	for counters.Next() {
		err = counters.Scan(&zeros, &before)
	}
	if counters.Close(); err != nil || zeros != 0 || before != 0 {
		t.Fatalf("counters: %d at zero, %d for hours before the cut (%v)", zeros, before, err)
	}

	// A row moved to another outcome and hour (ent keeps occurred_at
	// immutable; SQL does not) is counted where it went.
	row := must[*ent.WebhookLog](t)(w.d.Read.WebhookLog.Query().Where(webhooklog.WebhookID(w.hook.ID)).First(w.ctx))
	_, err = w.d.Write.ExecContext(w.ctx, dbtest.Rebind(w.d.Dialect, "UPDATE webhook_logs SET outcome = ?, occurred_at = ? WHERE id = ?"),
		schematype.OutcomeRejected, w.start.Add(9*time.Hour+30*time.Minute), row.ID)
	if err != nil {
		t.Fatal(err)
	}
	w.check(t, "after an update")

	if _, err := CountLogs(context.Background(), w.d.Read, w.d.Dialect, nil); err == nil {
		t.Fatal("counted without a workspace")
	}
}

// TestLogCountsBackfill: a database written before the counters existed
// gets them, counting its rows, when the counters are migrated.
func TestLogCountsBackfill(t *testing.T) {
	t.Parallel()
	e := setup(t)
	w := newCountWorld(t, e)
	e.exec(t, withoutCounters[e.d.Dialect]...)
	// Rows written while there were no counters.
	at := w.start.Add(time.Hour + time.Second)
	must[*ent.WebhookLog](t)(e.d.Write.WebhookLog.Create().SetID(logIDAt(at)).SetWebhookID(w.in.ID).
		SetDirection(schematype.DirectionInbound).SetOutcome(schematype.OutcomeAccepted).SetOccurredAt(at).
		SetRequest(schematype.HTTPMessage{}).Save(e.ctx))

	if err := MigrateCounters(context.Background(), e.d.Write, e.d.Dialect); err != nil {
		t.Fatal(err)
	}
	w.check(t, "after migrating")
}

// TestCounterRanges: on PostgreSQL the whole days of a range of hours come
// from the daily counters and only the hours around them from the hourly
// ones; an open bound stays open; SQLite sums hours alone.
func TestCounterRanges(t *testing.T) {
	t.Parallel()
	h := func(lo, hi int64) counterRange { return counterRange{CountersTable, "hour", lo, hi} }
	d := func(lo, hi int64) counterRange { return counterRange{DailyCountersTable, "day", lo, hi} }
	for _, tc := range []struct {
		lo, hi int64
		want   []counterRange
	}{
		{10, 20, []counterRange{h(10, 20)}}, // within a day
		{10, 47, []counterRange{h(10, 47)}}, // across midnight, no whole day
		{24, 48, []counterRange{d(1, 2)}},   // one whole day
		{10, 75, []counterRange{h(10, 24), d(1, 3), h(72, 75)}},
		{48, 75, []counterRange{d(2, 3), h(72, 75)}},
		{minHour, 50, []counterRange{d(floorDiv(minHour, 24), 2), h(48, 50)}},
		{30, maxHour, []counterRange{h(30, 48), d(2, -floorDiv(-maxHour, 24))}},
		{-30, 30, []counterRange{h(-30, -24), d(-1, 1), h(24, 30)}}, // before 1970: floored
	} {
		if got := counterRanges(dialect.Postgres, tc.lo, tc.hi); !slices.Equal(got, tc.want) {
			t.Errorf("[%d, %d): %v, want %v", tc.lo, tc.hi, got, tc.want)
		}
		if got := counterRanges(dialect.SQLite, tc.lo, tc.hi); !slices.Equal(got, []counterRange{h(tc.lo, tc.hi)}) {
			t.Errorf("SQLite [%d, %d): %v", tc.lo, tc.hi, got)
		}
	}
}

// TestInsertLogsCountsWhatItWrites: rows written by InsertLogs, in a job's
// transaction or as a Writer's batch of inserts alone, are counted as the
// trigger counts any other row (SQLite counts them per batch, by their
// event's type when the attempt names it, else by reading the event), and
// an insert after them is counted by the trigger again.
func TestInsertLogsCountsWhatItWrites(t *testing.T) {
	w := newCountWorld(t, setup(t))
	sys := auth.System(context.Background())
	types := []string{"order.paid", "naïveÀ", "flow.café.x"}
	dls := map[string]*ent.Delivery{}
	for _, typ := range types {
		dls[typ] = w.delivery(t, w.events[typ], schematype.DeliveryPending, now)
	}
	var attempts []*LogRow
	for i := range 60 {
		typ := types[i%len(types)]
		a := Attempt{WorkspaceID: w.hook.WorkspaceID, WebhookID: w.hook.ID, EventID: w.events[typ].ID,
			DeliveryID: dls[typ].ID, Number: 1, At: w.start.Add(time.Duration(i) * 47 * time.Minute), Succeeded: i%4 != 0,
			Request: schematype.HTTPMessage{Method: "POST", URL: "https://example.com/h"}}
		if i%5 != 0 { // else unknown: read from the event
			a.EventType = typ
		}
		row := must[*LogRow](t)(NewAttemptRow(a))
		row.row.ID = logIDAt(a.At) // ids follow occurred_at, which the time filters rely on
		attempts = append(attempts, row)
	}
	err := w.w.Do(sys, func(ctx context.Context, tx *ent.Tx, _ *store.Hooks) error {
		return InsertLogs(ctx, tx, w.d.Dialect, attempts...)
	})
	if err != nil {
		t.Fatal(err)
	}
	w.check(t, "after a job's InsertLogs")

	ins := LogInserter(w.d.Dialect)
	var wg sync.WaitGroup
	for i := range 40 {
		at := w.start.Add(time.Duration(i) * 71 * time.Minute)
		req := LogRequest(httptest.NewRequest(http.MethodPost, "/in/tok", nil), []byte(`{}`), "", "")
		row := must[*LogRow](t)((&InboundRow{ID: logIDAt(at), WorkspaceID: w.in.WorkspaceID, WebhookID: w.in.ID,
			Request: req, ReceivedAt: at, Outcome: schematype.OutcomeAccepted, Status: 202}).Row())
		wg.Go(func() {
			if err := w.w.Insert(sys, ins, row, nil); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	w.check(t, "after a Writer's inserts")

	at := w.start.Add(5*time.Hour + 3*time.Second)
	must[*ent.WebhookLog](t)(w.d.Write.WebhookLog.Create().SetID(logIDAt(at)).SetWebhookID(w.in.ID).
		SetDirection(schematype.DirectionInbound).SetOutcome(schematype.OutcomeRejected).SetOccurredAt(at).
		SetRequest(schematype.HTTPMessage{}).Save(w.ctx))
	w.check(t, "after an insert of ent's")
	if w.d.Dialect != dialect.Postgres {
		if n := w.queryString(t, "SELECT count(*) FROM "+countersBatchTable); n != "0" {
			t.Fatalf("%s rows left in %s", n, countersBatchTable)
		}
	}
}
