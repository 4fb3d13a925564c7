package inbound

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"entgo.io/ent/dialect/sql/sqlgraph"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/idempotencykey"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/store"
)

// maxKeyLen bounds an idempotency key: it is stored and indexed.
const maxKeyLen = 255

// idempotencyKey is the sender's key, else the provider's own delivery id;
// ok is false when the sender's key is too long to store.
func idempotencyKey(req *request) (key string, ok bool) {
	h := req.http.Header
	key = strings.TrimSpace(h.Get("X-Idempotency-Key"))
	if key == "" {
		key = strings.TrimSpace(h.Get("Idempotency-Key"))
	}
	if key == "" {
		key = req.verifier.DeliveryID(req.vreq) // bounded by verify; authenticated, so the verifier is there
	}
	return key, len(key) <= maxKeyLen
}

// outcome is what the accept job decided.
type outcome struct {
	verdict
	row *ent.WebhookLog
}

// accept commits everything an authenticated, parsed request causes, in one
// group-commit job: the idempotency check, the contact, a schema capture, the
// flow runs and the log row; the 202 goes out only after that commit.
func (h *Handler) accept(ctx context.Context, req *request) answer {
	key, ok := idempotencyKey(req)
	if !ok {
		v := reject(http.StatusBadRequest, "invalid_idempotency_key", fmt.Sprintf("idempotency key longer than %d bytes", maxKeyLen))
		h.record(ctx, req, v)
		return v.answer
	}
	req.key = key
	var out outcome
	err := h.commit(ctx, func(ctx context.Context, tx *ent.Tx, hk *store.Hooks) error {
		var err error
		out, err = h.process(ctx, tx.Client(), req)
		if err == nil {
			row := out.row
			hk.AfterCommit(func() { h.publish(row) })
		}
		return err
	})
	if err == nil {
		return out.answer
	}
	ans, level := failed(err)
	h.deps.Log.Log(ctx, level, "accepting inbound request", "webhook_id", req.hook.ID, "err", err)
	return ans
}

// process runs inside the write transaction. A keyed request first takes
// its key's lock, so that one transaction at a time, on any server, looks
// the key up and records it: the lookup then sees whatever another
// committed, and two servers never both accept it.
func (h *Handler) process(ctx context.Context, c *ent.Client, req *request) (outcome, error) {
	if req.key == "" {
		return h.first(ctx, c, req)
	}
	if h.deps.Locks != nil {
		ok, err := h.deps.Locks.TryLockTx(ctx, c, "idempotency-"+string(req.hook.ID)+"-"+req.key)
		if err != nil {
			return outcome{}, err
		}
		if !ok {
			return outcome{}, errKeyBusy
		}
	}
	prior, err := h.prior(ctx, c, req, req.key)
	if err != nil {
		return outcome{}, err
	}
	if prior != nil {
		return h.duplicate(ctx, c, req, prior)
	}
	return h.first(ctx, c, req)
}

// first accepts a request not seen before: its idempotency record first,
// then the contact, a schema capture, the log row and the flow runs.
func (h *Handler) first(ctx context.Context, c *ent.Client, req *request) (outcome, error) {
	id := pulid.New("log")
	v := verdict{answer: answer{status: http.StatusAccepted, contentType: "application/json", body: acceptedBody(string(id))},
		outcome: schematype.OutcomeAccepted}
	if req.key != "" {
		err := c.IdempotencyKey.Create().SetWebhookID(req.hook.ID).SetKey(req.key).
			SetStatusCode(v.status).SetResponseBody(v.body).SetLogID(id).
			SetCreatedAt(req.received.UTC()).Exec(ctx)
		if sqlgraph.IsUniqueConstraintError(err) {
			// Committed since the lookup by a server that takes no lock
			// (an older version, mid-upgrade): the job rolls back to its
			// savepoint, and the next try replays that record.
			return outcome{}, fmt.Errorf("recording idempotency key: %w: %w", errKeyBusy, err)
		}
		if err != nil {
			return outcome{}, fmt.Errorf("recording idempotency key: %w", err)
		}
	}
	contact, _, err := h.resolveContact(ctx, c, req)
	if err != nil {
		return outcome{}, err
	}
	if err := h.capture(ctx, c, req); err != nil {
		return outcome{}, err
	}
	var contactID *pulid.ID
	if contact != nil {
		contactID = &contact.ID
	}
	row, err := h.logRow(c, req, &v, id, contactID).Save(ctx)
	if err != nil {
		return outcome{}, fmt.Errorf("writing log row: %w", err)
	}
	if _, err := h.startFlows(ctx, c, req, row.ID, contactID); err != nil {
		return outcome{}, err
	}
	return outcome{verdict: v, row: row}, nil
}

// prior returns the live record of key, deleting one older than retention so
// that the key starts afresh.
func (h *Handler) prior(ctx context.Context, c *ent.Client, req *request, key string) (*ent.IdempotencyKey, error) {
	rec, err := c.IdempotencyKey.Query().
		Where(idempotencykey.WebhookID(req.hook.ID), idempotencykey.Key(key)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading idempotency key: %w", err)
	}
	if h.cfg.Retention > 0 && rec.CreatedAt.Before(req.received.Add(-h.cfg.Retention)) {
		if err := c.IdempotencyKey.DeleteOne(rec).Exec(ctx); err != nil {
			return nil, fmt.Errorf("expiring idempotency key: %w", err)
		}
		return nil, nil
	}
	return rec, nil
}

// duplicate logs a repeat and replays the first answer.
func (h *Handler) duplicate(ctx context.Context, c *ent.Client, req *request, prior *ent.IdempotencyKey) (outcome, error) {
	v := verdict{
		answer: answer{
			status: prior.StatusCode, contentType: "application/json", body: prior.ResponseBody,
			header: http.Header{"Idempotent-Replayed": {"true"}},
		},
		outcome: schematype.OutcomeDuplicate,
		reason:  "duplicate of " + string(prior.LogID),
	}
	row, err := h.logRow(c, req, &v, pulid.New("log"), nil).Save(ctx)
	if err != nil {
		return outcome{}, fmt.Errorf("writing duplicate log row: %w", err)
	}
	return outcome{verdict: v, row: row}, nil
}
