package history

import (
	"context"
	"encoding/json"
	"fmt"
	"math/bits"
	"strconv"
	"strings"

	entdialect "entgo.io/ent/dialect"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/webhooklog"
	"github.com/wexio/webhooks/internal/store"
)

// LogRow is a log row encoded when built (by the request's handler or the
// worker that made the attempt) so that InsertLogs, on the writer, only
// binds it.
type LogRow struct {
	row      *ent.WebhookLog // what live tail is handed after the commit
	request  []byte          // row.Request as JSON
	response []byte          // row.Response as JSON; nil for none
	contact  []byte          // row.ContactResolution as JSON; nil for none
	// eventType is the type of row.EventID's event, which the counters
	// count it under; "" for a row without an event, or when unknown (the
	// count then reads it from the event).
	eventType string
}

// encodeRow encodes r, which names its own id and workspace; request is
// r.Request encoded already, or nil.
func encodeRow(r *ent.WebhookLog, request []byte) (*LogRow, error) {
	lr := &LogRow{row: r, request: request}
	if lr.request == nil {
		lr.request = r.Request.AppendJSON(make([]byte, 0, len(r.Request.Body)+len(r.Request.URL)+512))
	}
	if r.Response != nil {
		lr.response = r.Response.AppendJSON(make([]byte, 0, len(r.Response.Body)+256))
	}
	var err error
	if r.ContactResolution != nil {
		if lr.contact, err = json.Marshal(r.ContactResolution); err != nil {
			return nil, fmt.Errorf("encoding the contact resolution: %w", err)
		}
	}
	return lr, nil
}

// Log is the row as it is written, for live tail once it is committed.
func (r *LogRow) Log() *ent.WebhookLog { return r.row }

// LogInserter inserts the log rows that jobs queue with
// store.Hooks.InsertLater or store.Writer.Insert, in a database of SQL
// dialect dialect (sqlDialect): a batch's rows go in one INSERT rather
// than one each, which on PostgreSQL is a round trip per request saved.
// A Writer's batch (groupcommit.MaxBatch) is under maxInsertRows: one
// statement.
//
// Its rows are counted by the insert trigger, one by one: counting them
// per batch (InsertLogs) needs a transaction around a batch of inserts
// alone, and the inbound path measured slower so (loadbench:
// full/groupcommit 0.71-0.76 against 0.76-0.81).
func LogInserter(dialect string) *store.Inserter {
	return &store.Inserter{Name: webhooklog.Table, Insert: func(ctx context.Context, db store.Execer, rows []any) error {
		logs := make([]*LogRow, len(rows))
		for i, r := range rows {
			lr, ok := r.(*LogRow)
			if !ok {
				return fmt.Errorf("history: %T queued as a log row", r)
			}
			logs[i] = lr
		}
		return insertLogRows(ctx, db, dialect, logs, false)
	}}
}

// InsertLogs writes log rows in one INSERT (per maxInsertRows; on SQLite
// per statementRows) in tx, a transaction whose database's SQL dialect is
// dialect (sqlDialect). It stands in for ent's bulk create on the hottest
// paths (a request's row, a delivery's attempts): on SQLite that is an
// INSERT … RETURNING behind a mutation, hooks and a spec per row, which
// was half the writer's time per delivery in outbound's BenchmarkDispatch.
// The rows carry their workspace already (the hook ent would run only
// stamps it), and TestInsertLogsMatchesEnt holds the encoding to ent's,
// column by column.
//
// On SQLite the rows are counted by InsertLogs itself (countLogs), in tx,
// one upsert per counter, rather than by the insert trigger's event
// lookup, time parse and upsert per row: 8% less per row in batches of 256
// attempts, and no worse in batches of 16 (BenchmarkInsertLogs).
func InsertLogs(ctx context.Context, tx store.Execer, dialect string, rows ...*LogRow) error {
	return insertLogRows(ctx, tx, dialect, rows, sqlDialect(dialect) == entdialect.SQLite)
}

// insertLogRows writes rows through db; byBatch (SQLite, in a
// transaction) writes them in statements of statementRows rows and counts
// them with countLogs rather than the trigger.
func insertLogRows(ctx context.Context, db store.Execer, dialect string, rows []*LogRow, byBatch bool) error {
	if len(rows) == 0 {
		return nil
	}
	if byBatch {
		// With an argument, so the driver keeps the statement prepared
		// rather than prepare it again at every batch.
		if _, err := db.ExecContext(ctx, `INSERT INTO `+countersBatchTable+` VALUES (?)`, 1); err != nil {
			return fmt.Errorf("counting log rows: %w", err)
		}
	}
	for rest := rows; len(rest) > 0; {
		n := min(len(rest), maxInsertRows)
		if byBatch {
			// Several statements are still one write in a transaction, and
			// each is one the driver prepared before (statementRows).
			n = statementRows(n)
		}
		query, args, err := insertLogs(dialect, rest[:n])
		if err != nil {
			return err
		}
		if _, err := db.ExecContext(ctx, query, args...); err != nil {
			return fmt.Errorf("writing log rows: %w", err)
		}
		rest = rest[n:]
	}
	if byBatch {
		return countLogs(ctx, db, rows)
	}
	return nil
}

// counterKey is one counter of CountersTable, on SQLite. With a zero
// eventType and an event, the type is read from the event.
type counterKey struct {
	workspace, webhook, direction, outcome, eventType string
	event                                             string // when the type is unknown
	hour                                              int64
}

// countLogs adds rows, just inserted, to their counters: one upsert for
// the batch, one row of it per counter, as the insert trigger would have
// counted them one by one; then it lets the trigger count again.
func countLogs(ctx context.Context, tx store.Execer, rows []*LogRow) error {
	counts := map[counterKey]int{}
	var order []counterKey
	for _, r := range rows {
		w := r.row
		k := counterKey{workspace: string(w.WorkspaceID), webhook: string(w.WebhookID), direction: string(w.Direction),
			outcome: string(w.Outcome), eventType: r.eventType, hour: w.OccurredAt.Unix() / hourSeconds}
		if k.eventType == "" && w.EventID != nil {
			k.event = string(*w.EventID)
		}
		if _, ok := counts[k]; !ok {
			order = append(order, k)
		}
		counts[k]++
	}
	var q strings.Builder
	q.WriteString(`INSERT INTO ` + CountersTable + ` VALUES `)
	args := make([]any, 0, 7*len(order))
	for i, k := range order {
		if i > 0 {
			q.WriteByte(',')
		}
		typ := "?"
		args = append(args, k.workspace, k.webhook, k.direction, k.outcome)
		if k.event != "" {
			typ = "COALESCE((SELECT type FROM events WHERE id = ?), '')"
			args = append(args, k.event)
		} else {
			args = append(args, k.eventType)
		}
		q.WriteString("(?, ?, ?, ?, " + typ + ", ?, ?)")
		args = append(args, k.hour, counts[k])
	}
	q.WriteString(` ON CONFLICT DO UPDATE SET n = n + excluded.n`)
	if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
		return fmt.Errorf("counting log rows: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM `+countersBatchTable+` WHERE counting = ?`, 1); err != nil {
		return fmt.Errorf("counting log rows: %w", err)
	}
	return nil
}

// insertLogs is the INSERT of rows in dialect: written out directly, not
// with ent's builder, which quoted and appended every value on its own
// (a tenth of InsertLogs' time on the inbound path).
func insertLogs(dialect string, rows []*LogRow) (string, []any, error) {
	cols := webhooklog.Columns
	var q strings.Builder
	q.Grow(64 + 20*len(cols) + len(rows)*(4*len(cols)+4))
	pg := sqlDialect(dialect) == entdialect.Postgres
	quote := "`"
	if pg {
		quote = `"`
	}
	q.WriteString("INSERT INTO " + quote + webhooklog.Table + quote + " (" + quote +
		strings.Join(cols, quote+", "+quote) + quote + ") VALUES ")
	args := make([]any, 0, len(rows)*len(cols))
	for i, r := range rows {
		if i > 0 {
			q.WriteByte(',')
		}
		q.WriteByte('(')
		for j, col := range cols {
			v, err := r.value(col)
			if err != nil {
				return "", nil, err
			}
			args = append(args, v)
			if j > 0 {
				q.WriteString(", ")
			}
			if pg {
				q.WriteByte('$')
				q.WriteString(strconv.Itoa(len(args)))
			} else {
				q.WriteByte('?')
			}
		}
		q.WriteByte(')')
	}
	return q.String(), args, nil
}

// maxInsertRows keeps one INSERT's parameters under SQLite's limit of
// 32,766 (PostgreSQL's is 65,535).
const maxInsertRows = 1000

// statementRows is how many of n rows (0 < n <= maxInsertRows) the next
// INSERT of a transaction takes: the largest power of two up to n. The
// statement's text is its key in the driver's cache of prepared
// statements, so a batch of any size reuses one of ten statements where a
// statement of its own length was prepared afresh: on SQLite that was a
// fifth of the insert's time per attempt (BenchmarkDispatch).
func statementRows(n int) int { return 1 << (bits.Len(uint(n)) - 1) }

// value is the column col of r as ent binds it: enums and ids as text, times
// as time.Time, JSON as its bytes, an unset optional field as NULL. A column
// added to the schema fails here until it is given a value. An id is bound
// as a plain string: database/sql passes one through as it is, where a
// pulid.ID went through its Valuer, one allocation more per id column.
func (r *LogRow) value(col string) (any, error) {
	w := r.row
	switch col {
	case webhooklog.FieldID:
		return string(w.ID), nil
	case webhooklog.FieldWorkspaceID:
		return string(w.WorkspaceID), nil
	case webhooklog.FieldWebhookID:
		return string(w.WebhookID), nil
	case webhooklog.FieldDirection:
		return string(w.Direction), nil
	case webhooklog.FieldOccurredAt:
		return w.OccurredAt, nil
	case webhooklog.FieldOutcome:
		return string(w.Outcome), nil
	case webhooklog.FieldStatusCode:
		return nilOr(w.StatusCode), nil
	case webhooklog.FieldDurationMs:
		return w.DurationMs, nil
	case webhooklog.FieldError:
		return nilOr(w.Error), nil
	case webhooklog.FieldRequest:
		return r.request, nil
	case webhooklog.FieldResponse:
		if r.response == nil {
			return nil, nil
		}
		return r.response, nil
	case webhooklog.FieldIdempotencyKey:
		return nilOr(w.IdempotencyKey), nil
	case webhooklog.FieldContactID:
		return nilID(w.ContactID), nil
	case webhooklog.FieldEventID:
		return nilID(w.EventID), nil
	case webhooklog.FieldDeliveryID:
		return nilID(w.DeliveryID), nil
	case webhooklog.FieldAttempt:
		return nilOr(w.Attempt), nil
	case webhooklog.FieldNextRetryAt:
		return nilOr(w.NextRetryAt), nil
	case webhooklog.FieldContactResolution:
		if r.contact == nil {
			return nil, nil
		}
		return r.contact, nil
	}
	return nil, fmt.Errorf("history: no value for %s.%s", webhooklog.Table, col)
}

// nilID is an optional id as value binds it.
func nilID(p *pulid.ID) any {
	if p == nil {
		return nil
	}
	return string(*p)
}

// nilOr is *p, or an untyped nil (SQL NULL) when p is nil.
func nilOr[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}
