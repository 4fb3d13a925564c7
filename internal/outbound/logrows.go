package outbound

import (
	"context"
	"encoding/json"
	"fmt"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/ent/webhooklog"
)

// logRow is an attempt's history row, encoded by the worker that made the
// attempt so the writer only binds it.
type logRow struct {
	row      *ent.WebhookLog // what live tail is handed after the commit
	request  []byte          // row.Request as JSON
	response []byte          // row.Response as JSON; nil for none
}

// newLogRow builds the history row of an attempt. Workers have no
// workspace in their context, so the row takes the delivery's explicitly.
func newLogRow(e *entry) (*logRow, error) {
	dl, res, v := e.dl, e.res, e.v
	attempt := dl.Attempts + 1
	r := &ent.WebhookLog{
		ID: webhooklog.DefaultID(), WorkspaceID: dl.WorkspaceID, WebhookID: dl.WebhookID,
		Direction: schematype.DirectionOutbound, OccurredAt: res.at.UTC(),
		Outcome:    schematype.OutcomeFailed,
		DurationMs: int(res.duration.Milliseconds()),
		Request:    res.request, Response: res.response,
		EventID: &dl.EventID, DeliveryID: &dl.ID, Attempt: &attempt,
	}
	if v.decision.Outcome == Succeeded {
		r.Outcome = schematype.OutcomeSucceeded
	}
	if res.response != nil {
		r.StatusCode = &res.status
	}
	if v.decision.Reason != "" {
		r.Error = &v.decision.Reason
	}
	if !v.final {
		next := v.next
		r.NextRetryAt = &next
	}
	lr := &logRow{row: r}
	var err error
	if lr.request, err = json.Marshal(r.Request); err != nil {
		return nil, fmt.Errorf("encoding the attempt's request: %w", err)
	}
	if r.Response != nil {
		if lr.response, err = json.Marshal(r.Response); err != nil {
			return nil, fmt.Errorf("encoding the attempt's response: %w", err)
		}
	}
	return lr, nil
}

// insertLogs writes a batch of attempt rows in one INSERT. It stands in for
// ent's bulk create on the dispatcher's hottest path: on SQLite that is an
// INSERT … RETURNING behind a mutation, hooks and a spec per row, which was
// half the writer's time per delivery in BenchmarkDispatch. The rows carry
// their workspace already (the hook ent would run only stamps it), and
// TestInsertLogsMatchesEnt holds the encoding to ent's, column by column.
func insertLogs(ctx context.Context, tx *ent.Tx, rows []*logRow) error {
	for len(rows) > 0 {
		n := min(len(rows), maxInsertRows)
		ins := entsql.Dialect(dialect.SQLite).Insert(webhooklog.Table).Columns(webhooklog.Columns...)
		for _, r := range rows[:n] {
			vals := make([]any, len(webhooklog.Columns))
			for i, col := range webhooklog.Columns {
				v, err := r.value(col)
				if err != nil {
					return err
				}
				vals[i] = v
			}
			ins.Values(vals...)
		}
		query, args := ins.Query()
		if _, err := tx.ExecContext(ctx, query, args...); err != nil {
			return fmt.Errorf("writing attempt logs: %w", err)
		}
		rows = rows[n:]
	}
	return nil
}

// maxInsertRows keeps one INSERT's parameters under SQLite's limit of
// 32,766.
const maxInsertRows = 1000

// value is the column col of r as ent binds it: enums and ids as text, times
// as time.Time, JSON as its bytes, an unset optional field as NULL. A column
// added to the schema fails here until it is given a value.
func (r *logRow) value(col string) (any, error) {
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
	return nil, fmt.Errorf("outbound: no value for %s.%s", webhooklog.Table, col)
}

// nilOr is *p, or an untyped nil (SQL NULL) when p is nil.
func nilOr[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}
