package inbound

import (
	"context"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/internal/history"
	"github.com/wexio/webhooks/internal/store"
)

// record writes the log row of a request that is not processed further (a
// refusal or a handshake) and publishes it after the commit. The sender's
// answer does not depend on it, so a failed write is logged, not returned.
func (h *Handler) record(ctx context.Context, req *request, v *verdict) {
	var row *ent.WebhookLog
	err := h.deps.Writer.Do(ctx, func(ctx context.Context, tx *ent.Tx, hk *store.Hooks) error {
		var err error
		row, err = h.logRow(tx.Client(), req, v, pulid.New("log"), nil).Save(ctx)
		if err == nil {
			hk.AfterCommit(func() { h.publish(row) })
		}
		return err
	})
	if err != nil {
		h.deps.Log.ErrorContext(ctx, "writing inbound log", "webhook_id", req.hook.ID, "err", err)
	}
}

// logRow builds the request's log row (history.InboundRow) on c.
func (h *Handler) logRow(c *ent.Client, req *request, v *verdict, id pulid.ID, contact *pulid.ID) *ent.WebhookLogCreate {
	row := &history.InboundRow{
		ID: id, WebhookID: req.hook.ID,
		Request: req.http, Body: req.raw, SignatureHeader: req.signatureHeader,
		ReceivedAt: req.received, Duration: time.Since(req.began),
		Outcome: v.outcome, Status: v.status, Error: v.reason,
		IdempotencyKey: req.key, ContactID: contact,
		AnswerHeader: v.headers(), AnswerBody: v.body,
	}
	return row.Create(c)
}

func (h *Handler) publish(rows ...*ent.WebhookLog) {
	if h.deps.Tail != nil {
		h.deps.Tail.Publish(rows...)
	}
}
