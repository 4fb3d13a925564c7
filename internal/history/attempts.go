package history

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/ent/webhooklog"
)

// Attempt is what the log keeps of one outbound attempt at a delivery.
// Workers have no workspace in their context, so it names its own.
type Attempt struct {
	WorkspaceID, WebhookID, EventID, DeliveryID pulid.ID

	Number    int           // 1 for the first attempt
	At        time.Time     // when it started, by the injected clock
	Duration  time.Duration // connect to the answer's last byte
	Succeeded bool          // otherwise FAILED, to be retried or not
	Request   schematype.HTTPMessage
	// Response is the answer, nil when none came; Status is kept with it.
	Response    *schematype.HTTPMessage
	Status      int
	Error       string    // why it did not succeed; "" when it did
	NextRetryAt time.Time // zero when no retry follows
}

// AttemptRow is an attempt's log row, encoded when built (by the worker
// that made the attempt) so that InsertAttempts, on the writer, only binds
// it.
type AttemptRow struct {
	row      *ent.WebhookLog // what live tail is handed after the commit
	request  []byte          // row.Request as JSON
	response []byte          // row.Response as JSON; nil for none
}

// NewAttemptRow builds and encodes a's row, with a new id.
func NewAttemptRow(a Attempt) (*AttemptRow, error) {
	number := a.Number
	r := &ent.WebhookLog{
		ID: webhooklog.DefaultID(), WorkspaceID: a.WorkspaceID, WebhookID: a.WebhookID,
		Direction: schematype.DirectionOutbound, OccurredAt: a.At.UTC(),
		Outcome:    schematype.OutcomeFailed,
		DurationMs: int(a.Duration.Milliseconds()),
		Request:    storableMessage(a.Request), Response: a.Response,
		EventID: &a.EventID, DeliveryID: &a.DeliveryID, Attempt: &number,
	}
	if a.Succeeded {
		r.Outcome = schematype.OutcomeSucceeded
	}
	if a.Response != nil {
		response, status := storableMessage(*a.Response), a.Status
		r.Response, r.StatusCode = &response, &status
	}
	if a.Error != "" {
		reason := a.Error
		r.Error = &reason
	}
	if !a.NextRetryAt.IsZero() {
		next := a.NextRetryAt.UTC()
		r.NextRetryAt = &next
	}
	ar := &AttemptRow{row: r}
	var err error
	if ar.request, err = json.Marshal(r.Request); err != nil {
		return nil, fmt.Errorf("encoding the attempt's request: %w", err)
	}
	if r.Response != nil {
		if ar.response, err = json.Marshal(r.Response); err != nil {
			return nil, fmt.Errorf("encoding the attempt's response: %w", err)
		}
	}
	return ar, nil
}

// Log is the row as it is written, for live tail once it is committed.
func (r *AttemptRow) Log() *ent.WebhookLog { return r.row }

// InsertAttempts writes a batch of attempt rows in one INSERT (per
// maxInsertRows) in tx, whose database's SQL dialect is dialect
// (sqlDialect). It stands in for ent's bulk create on the dispatcher's
// hottest path: on SQLite that is an INSERT … RETURNING behind a mutation,
// hooks and a spec per row, which was half the writer's time per delivery
// in outbound's BenchmarkDispatch. The rows carry their workspace already
// (the hook ent would run only stamps it), and TestInsertAttemptsMatchesEnt
// holds the encoding to ent's, column by column.
func InsertAttempts(ctx context.Context, tx *ent.Tx, dialect string, rows []*AttemptRow) error {
	for len(rows) > 0 {
		n := min(len(rows), maxInsertRows)
		query, args, err := insertAttempts(dialect, rows[:n])
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, query, args...); err != nil {
			return fmt.Errorf("writing attempt logs: %w", err)
		}
		rows = rows[n:]
	}
	return nil
}

// insertAttempts is the INSERT of rows in dialect.
func insertAttempts(dialect string, rows []*AttemptRow) (string, []any, error) {
	ins := entsql.Dialect(sqlDialect(dialect)).Insert(webhooklog.Table).Columns(webhooklog.Columns...)
	for _, r := range rows {
		vals := make([]any, len(webhooklog.Columns))
		for i, col := range webhooklog.Columns {
			v, err := r.value(col)
			if err != nil {
				return "", nil, err
			}
			vals[i] = v
		}
		ins.Values(vals...)
	}
	query, args := ins.Query()
	return query, args, nil
}

// maxInsertRows keeps one INSERT's parameters under SQLite's limit of
// 32,766 (PostgreSQL's is 65,535).
const maxInsertRows = 1000

// value is the column col of r as ent binds it: enums and ids as text, times
// as time.Time, JSON as its bytes, an unset optional field as NULL. A column
// added to the schema fails here until it is given a value.
func (r *AttemptRow) value(col string) (any, error) {
	w := r.row
	switch col {
	case webhooklog.FieldID:
		return w.ID, nil
	case webhooklog.FieldWorkspaceID:
		return w.WorkspaceID, nil
	case webhooklog.FieldWebhookID:
		return w.WebhookID, nil
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
		return nilOr(w.ContactID), nil
	case webhooklog.FieldEventID:
		return nilOr(w.EventID), nil
	case webhooklog.FieldDeliveryID:
		return nilOr(w.DeliveryID), nil
	case webhooklog.FieldAttempt:
		return nilOr(w.Attempt), nil
	case webhooklog.FieldNextRetryAt:
		return nilOr(w.NextRetryAt), nil
	}
	return nil, fmt.Errorf("history: no value for %s.%s", webhooklog.Table, col)
}

// nilOr is *p, or an untyped nil (SQL NULL) when p is nil.
func nilOr[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}
