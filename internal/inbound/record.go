package inbound

import (
	"context"
	"net/http"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/history"
	"github.com/wexio/webhooks/internal/store"
)

// record writes the log row of a request that is not processed further (a
// refusal or a handshake) and publishes it after the commit. The sender's
// answer does not depend on it, so a failed write is logged, not returned.
// Refusals past the webhook's rate are counted instead (refusalLog).
func (h *Handler) record(ctx context.Context, req *request, v *verdict) {
	if v.outcome == schematype.OutcomeRejected {
		ok, left := h.refusals.keep(req.hook.ID)
		if !ok {
			if h.deps.Observer != nil {
				h.deps.Observer.InboundUnlogged()
			}
			if left > 0 {
				h.deps.Log.WarnContext(ctx, "refused inbound requests not stored: past the rate of stored refusals (WEXIO_REFUSED_LOG_RATE)",
					"webhook_id", req.hook.ID, "left_out", left, "per_second", h.refusals.perSecond)
			}
			return
		}
	}
	if err := h.insertLog(ctx, req, v, pulid.New("log")); err != nil {
		h.deps.Log.ErrorContext(ctx, "writing inbound log", "webhook_id", req.hook.ID, "err", err)
	}
}

// insertLog writes the request's log row, the one thing it changes, and
// publishes it after the commit: with the writer's other such rows, in
// one statement (store.Writer.Insert).
func (h *Handler) insertLog(ctx context.Context, req *request, v *verdict, id pulid.ID) error {
	row, err := h.logRow(req, v, id, nil)
	if err != nil {
		return err
	}
	return h.deps.Writer.Insert(ctx, h.logs, row, func() { h.publish(row.Log()) })
}

// logLater queues the request's log row for the end of the job's
// transaction, with its batch's others (history.LogInserter), and its
// publishing for after the commit.
func (h *Handler) logLater(hk *store.Hooks, req *request, v *verdict, id pulid.ID, contact *pulid.ID) error {
	row, err := h.logRow(req, v, id, contact)
	if err != nil {
		return err
	}
	hk.InsertLater(h.logs, row)
	hk.AfterCommit(func() { h.publish(row.Log()) })
	return nil
}

// logRow builds the request's log row (history.InboundRow).
func (h *Handler) logRow(req *request, v *verdict, id pulid.ID, contact *pulid.ID) (*history.LogRow, error) {
	row := &history.InboundRow{
		ID: id, WorkspaceID: req.hook.WorkspaceID, WebhookID: req.hook.ID, Request: req.logged,
		ReceivedAt: req.received, Duration: time.Since(req.began),
		Outcome: v.outcome, Status: v.status, Error: v.reason,
		IdempotencyKey: req.key, ContactID: contact, ContactResolution: req.resolution,
		AnswerHeader: withRequestID(v.headers(), req.id), AnswerBody: v.body,
	}
	return row.Row()
}

// withRequestID is h with the request's id, as ServeHTTP sends it.
func withRequestID(h http.Header, id string) http.Header {
	if id != "" {
		h.Set(requestIDHeader, id)
	}
	return h
}

func (h *Handler) publish(rows ...*ent.WebhookLog) {
	if h.deps.Tail != nil {
		h.deps.Tail.Publish(rows...)
	}
}
