package history

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"math/bits"
	"strings"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/ent/webhooklog"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/db/dbtest"
	"github.com/wexio/webhooks/internal/store"
)

// attempts are one of each kind of attempt at a delivery of e's webhook: a
// failure with an answer and a retry to come, one without an answer, a
// success; their times in another offset than UTC.
func (e *env) attempts(tb testing.TB) []Attempt {
	ev := e.event(tb, now)
	dl := e.delivery(tb, ev, schematype.DeliveryPending, now)
	plus2 := time.FixedZone("+02:00", 2*3600)
	base := Attempt{WorkspaceID: e.hook.WorkspaceID, WebhookID: e.hook.ID, EventID: ev.ID, DeliveryID: dl.ID,
		Request: schematype.HTTPMessage{Method: "POST", URL: "https://example.com/h",
			Headers: map[string]string{"Content-Type": "application/json"}, Body: `{"a":1}`}}
	failed, refused, succeeded := base, base, base
	failed.Number, failed.At, failed.Duration = 1, now.In(plus2), 1500*time.Millisecond
	failed.Response, failed.Status = &schematype.HTTPMessage{Headers: map[string]string{"X-Why": "busy"}, Body: "busy"}, 500
	failed.Error, failed.NextRetryAt = "status 500", now.Add(time.Minute).In(plus2)
	refused.Number, refused.At = 2, now.Add(time.Minute)
	refused.Error, refused.NextRetryAt = "connection refused", now.Add(5*time.Minute)
	succeeded.Number, succeeded.At, succeeded.Succeeded = 3, now.Add(5*time.Minute), true
	succeeded.Response, succeeded.Status = &schematype.HTTPMessage{Body: "ok"}, 200
	return []Attempt{failed, refused, succeeded}
}

func (e *env) insertAttempts(tb testing.TB, as []Attempt) []*LogRow {
	tb.Helper()
	rows := make([]*LogRow, len(as))
	for i, a := range as {
		rows[i] = must[*LogRow](tb)(NewAttemptRow(a))
	}
	err := e.w.Do(auth.System(context.Background()), func(ctx context.Context, tx *ent.Tx, _ *store.Hooks) error {
		return InsertLogs(ctx, tx, e.d.Dialect, rows...)
	})
	if err != nil {
		tb.Fatal(err)
	}
	return rows
}

// TestInsertLogsMatchesEnt holds the attempt rows' own INSERT to ent's
// encoding: each row reads back through ent as it was built, and a twin
// written through ent's create with the same field values agrees with it
// on every column's stored type and value but the id.
func TestInsertLogsMatchesEnt(t *testing.T) {
	t.Parallel()
	e := setup(t)
	sys := auth.System(context.Background())
	as := e.attempts(t)
	for i, r := range e.insertAttempts(t, as) {
		built, a := r.Log(), as[i]
		got := must[*ent.WebhookLog](t)(e.d.Read.WebhookLog.Get(sys, built.ID))
		if a.Response == nil && (got.Response != nil || got.StatusCode != nil) ||
			a.Response != nil && (got.Response == nil || got.Response.Body != a.Response.Body || got.StatusCode == nil || *got.StatusCode != a.Status) {
			t.Errorf("attempt %d: answer %+v, status %v; want %+v, %d", a.Number, got.Response, got.StatusCode, a.Response, a.Status)
		}
		outcome := schematype.OutcomeFailed
		if a.Succeeded {
			outcome = schematype.OutcomeSucceeded
		}
		if got.Outcome != outcome || got.Attempt == nil || *got.Attempt != a.Number || !got.OccurredAt.Equal(a.At) ||
			got.DurationMs != int(a.Duration.Milliseconds()) || *got.EventID != a.EventID || *got.DeliveryID != a.DeliveryID ||
			got.WorkspaceID != a.WorkspaceID || got.Direction != schematype.DirectionOutbound || got.Request.Body != a.Request.Body ||
			(a.Error == "") != (got.Error == nil) || (a.NextRetryAt.IsZero()) != (got.NextRetryAt == nil) ||
			got.NextRetryAt != nil && !got.NextRetryAt.Equal(a.NextRetryAt) {
			t.Errorf("attempt %d: row %+v\nfrom %+v", a.Number, got, a)
		}

		twin := e.d.Write.WebhookLog.Create().
			SetWorkspaceID(got.WorkspaceID).SetWebhookID(got.WebhookID).SetDirection(got.Direction).
			SetOccurredAt(got.OccurredAt).SetOutcome(got.Outcome).SetNillableStatusCode(got.StatusCode).
			SetDurationMs(got.DurationMs).SetNillableError(got.Error).SetRequest(got.Request).
			SetNillableIdempotencyKey(got.IdempotencyKey).SetNillableContactID(got.ContactID).
			SetNillableEventID(got.EventID).SetNillableDeliveryID(got.DeliveryID).
			SetNillableAttempt(got.Attempt).SetNillableNextRetryAt(got.NextRetryAt)
		if got.Response != nil {
			twin.SetResponse(got.Response)
		}
		raw, entRaw := e.rawColumns(t, built.ID), e.rawColumns(t, twin.SaveX(sys).ID)
		for i, col := range webhooklog.Columns {
			if col != webhooklog.FieldID && raw[i] != entRaw[i] {
				t.Errorf("attempt %d column %s = %s, ent writes %s", a.Number, col, raw[i], entRaw[i])
			}
			// SQLite's range filters compare times as text: UTC only.
			// PostgreSQL keeps instants, whatever their zone.
			isTime := col == webhooklog.FieldOccurredAt || col == webhooklog.FieldNextRetryAt
			if isTime && e.d.Dialect != dialect.Postgres && raw[i] != "null:NULL" && !strings.HasSuffix(raw[i], "+00:00'") {
				t.Errorf("attempt %d column %s = %s, not UTC", a.Number, col, raw[i])
			}
		}
		if !strings.HasPrefix(string(built.ID), "log_") {
			t.Errorf("id %q lacks the log_ prefix ent gives", built.ID)
		}
	}
}

// rawColumns returns "type:value" of every column of a log row, as the
// database stores it.
func (e *env) rawColumns(tb testing.TB, id any) []string {
	tb.Helper()
	exprs := make([]string, len(webhooklog.Columns))
	for i, c := range webhooklog.Columns {
		exprs[i] = "typeof(" + c + ") || ':' || quote(" + c + ")"
		if e.d.Dialect == dialect.Postgres {
			exprs[i] = "pg_typeof(" + c + ")::text || ':' || quote_nullable(" + c + ")"
		}
	}
	rows, err := e.d.Read.QueryContext(context.Background(), dbtest.Rebind(e.d.Dialect,
		"SELECT "+strings.Join(exprs, ", ")+" FROM "+webhooklog.Table+" WHERE id = ?"), id)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	if !rows.Next() {
		tb.Fatalf("no row %v", id)
	}
	out := make([]string, len(exprs))
	dst := make([]any, len(exprs))
	for i := range out {
		dst[i] = &out[i]
	}
	if err := rows.Scan(dst...); err != nil {
		tb.Fatal(err)
	}
	return out
}

// TestInsertAttemptsInBatches: more rows than one statement takes are all
// written, and counted by the triggers.
func TestInsertAttemptsInBatches(t *testing.T) {
	t.Parallel()
	e := setup(t)
	one := e.attempts(t)[0]
	as := make([]Attempt, maxInsertRows+2)
	for i := range as {
		as[i] = one
		as[i].Number = i + 1
	}
	e.insertAttempts(t, as)
	n, err := e.d.Read.WebhookLog.Query().Count(e.ctx)
	if err != nil || n != len(as) {
		t.Fatalf("%d rows (%v), want %d", n, err, len(as))
	}
	counted, err := CountLogs(e.ctx, e.d.Read, e.d.Dialect, nil)
	if err != nil || counted != len(as) {
		t.Fatalf("counted %d (%v), want %d", counted, err, len(as))
	}
}

// TestInsertAttemptsSQL: the INSERT binds every column of every row, with
// the dialect's quoting and placeholders.
func TestInsertAttemptsSQL(t *testing.T) {
	t.Parallel()
	e := setup(t)
	var rows []*LogRow
	for _, a := range e.attempts(t) {
		rows = append(rows, must[*LogRow](t)(NewAttemptRow(a)))
	}
	cols := len(webhooklog.Columns)
	for d, quote := range map[string]string{dialect.SQLite: "`", dialect.Postgres: `"`} {
		query, args, err := insertLogs(d, rows)
		if err != nil {
			t.Fatal(err)
		}
		if want := "INSERT INTO " + quote + webhooklog.Table + quote + " (" + quote + webhooklog.FieldID + quote; !strings.HasPrefix(query, want) {
			t.Errorf("%s: %s\nwant it to start %s", d, query, want)
		}
		// Unset fields are written as NULL, as ent writes them.
		_, values, _ := strings.Cut(query, " VALUES ")
		placeholders := strings.Count(values, "?")
		if d == dialect.Postgres {
			placeholders = strings.Count(values, "$")
			if !strings.Contains(values, fmt.Sprintf("$%d,", len(args))) && !strings.Contains(values, fmt.Sprintf("$%d)", len(args))) {
				t.Errorf("%s: the last placeholder is not $%d: %s", d, len(args), values)
			}
		}
		if placeholders != len(args) || placeholders+strings.Count(values, "NULL") != cols*len(rows) ||
			strings.Count(values, "(") != len(rows) {
			t.Errorf("%s: %d args for %d rows of %d columns: %s", d, len(args), len(rows), cols, query)
		}
	}
}

// TestBinaryBodiesAreLogged: an answer with NUL bytes, which PostgreSQL
// keeps in no text, is logged with U+FFFD in their place, on either
// database, and live tail is handed what was stored.
func TestBinaryBodiesAreLogged(t *testing.T) {
	t.Parallel()
	e := setup(t)
	a := e.attempts(t)[0]
	a.Response = &schematype.HTTPMessage{Headers: map[string]string{"Content-Type": "image/gif"}, Body: "GIF89a\x00\x01;"}
	built := e.insertAttempts(t, []Attempt{a})[0].Log()
	got := must[*ent.WebhookLog](t)(e.d.Read.WebhookLog.Get(auth.System(context.Background()), built.ID))
	if got.Response == nil || got.Response.Body != "GIF89a\uFFFD\x01;" || built.Response.Body != got.Response.Body {
		t.Fatalf("answer logged as %+v, handed to live tail as %+v", got.Response, built.Response)
	}
	if a.Response.Body != "GIF89a\x00\x01;" {
		t.Fatal("the attempt's own answer was changed")
	}
}

// execLog records the statements run through it.
type execLog struct{ queries []string }

func (l *execLog) ExecContext(_ context.Context, query string, _ ...any) (sql.Result, error) {
	l.queries = append(l.queries, query)
	return driver.RowsAffected(0), nil
}

// TestInsertLogsReusesStatements: on SQLite, batches of every size from 1
// to 300 rows are written with nine INSERT texts in all (1, 2, 4 … 256
// rows), each batch with as many as its size has bits set, so the driver
// reuses statements it prepared rather than prepare one per batch size.
func TestInsertLogsReusesStatements(t *testing.T) {
	t.Parallel()
	e := setup(t)
	row := must[*LogRow](t)(NewAttemptRow(e.attempts(t)[0]))
	texts := map[string]bool{}
	for size := 1; size <= 300; size++ {
		rows := make([]*LogRow, size)
		for i := range rows {
			rows[i] = row
		}
		l := &execLog{}
		if err := InsertLogs(context.Background(), l, dialect.SQLite, rows...); err != nil {
			t.Fatal(err)
		}
		var inserts, written int
		for _, q := range l.queries {
			if !strings.HasPrefix(q, "INSERT INTO `"+webhooklog.Table+"`") {
				continue
			}
			inserts++
			texts[q] = true
			n := strings.Count(q, "),(") + 1
			if n&(n-1) != 0 {
				t.Fatalf("size %d: an INSERT of %d rows, not a power of two", size, n)
			}
			written += n
		}
		if written != size || inserts != bits.OnesCount(uint(size)) {
			t.Fatalf("size %d: %d rows in %d INSERTs, want %d in %d", size, written, inserts, size, bits.OnesCount(uint(size)))
		}
	}
	if len(texts) != 9 {
		t.Errorf("%d INSERT texts for batches of 1 to 300 rows, want 9", len(texts))
	}
}
