package inbound

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"

	"entgo.io/ent/dialect/sql/sqlgraph"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/idempotencykey"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/history"
	"github.com/wexio/webhooks/internal/store"
)

// maxKeyLen bounds an idempotency key: it is stored and indexed.
const maxKeyLen = 255

// idempotencyKey is the sender's key (fromSender), else the provider's own
// delivery id; ok is false when the sender's key is too long to store.
func idempotencyKey(req *request) (key string, fromSender, ok bool) {
	h := req.http.Header
	key = strings.TrimSpace(h.Get("X-Idempotency-Key"))
	if key == "" {
		key = strings.TrimSpace(h.Get("Idempotency-Key"))
	}
	if key != "" {
		return key, true, len(key) <= maxKeyLen
	}
	// Bounded by verify; authenticated, so the verifier is there.
	return req.verifier.DeliveryID(req.vreq), false, true
}

// accept commits everything an authenticated, parsed request causes, in one
// group-commit job: the idempotency check, the contact, a schema capture, the
// flow runs and the log row; the 202 goes out only after that commit. It
// returns the answer and the outcome logged, "" when no row could be.
func (h *Handler) accept(ctx context.Context, req *request) (answer, schematype.LogOutcome) {
	key, fromSender, ok := idempotencyKey(req)
	if !ok {
		v := reject(http.StatusBadRequest, "invalid_idempotency_key", fmt.Sprintf("idempotency key longer than %d bytes", maxKeyLen))
		h.record(ctx, req, v)
		return v.answer, v.outcome
	}
	req.key, req.keyFromSender = key, fromSender
	if h.onlyLogged(req) {
		id := pulid.New("log")
		v := accepted(id)
		err := h.retry(ctx, func() error { return h.insertLog(ctx, req, &v, id) })
		if err == nil {
			return v.answer, v.outcome
		}
		return h.failed(ctx, req, err), ""
	}
	var out verdict
	err := h.commit(ctx, func(ctx context.Context, tx *ent.Tx, hk *store.Hooks) error {
		var err error
		out, err = h.process(ctx, tx.Client(), hk, req)
		return err
	})
	if err == nil {
		return out.answer, out.outcome
	}
	return h.failed(ctx, req, err), ""
}

// failed logs why req could not be accepted and answers it.
func (h *Handler) failed(ctx context.Context, req *request, err error) answer {
	ans, level := failed(err)
	h.deps.Log.Log(ctx, level, "accepting inbound request", "webhook_id", req.hook.ID, "err", err)
	return ans
}

// onlyLogged reports whether accepting req changes nothing but its log
// row: no idempotency key, contact, schema capture or flow.
func (h *Handler) onlyLogged(req *request) bool {
	w := req.hook
	resolves := h.deps.Contacts != nil && w.ContactMatch != nil && w.ContactPath != ""
	return req.key == "" && !resolves && !w.Capturing && len(req.flows) == 0
}

// accepted is the verdict of an accepted request whose row is id.
func accepted(id pulid.ID) verdict {
	return verdict{answer: answer{status: http.StatusAccepted, contentType: "application/json", body: acceptedBody(string(id))},
		outcome: schematype.OutcomeAccepted}
}

// process runs inside the write transaction. A keyed request first takes
// its key's lock, so that one transaction at a time, on any server, looks
// the key up and records it: the lookup then sees whatever another
// committed, and two servers never both accept it.
func (h *Handler) process(ctx context.Context, c *ent.Client, hk *store.Hooks, req *request) (verdict, error) {
	if req.key == "" {
		return h.first(ctx, c, hk, req)
	}
	if h.deps.Locks != nil {
		ok, err := h.deps.Locks.TryLockTx(ctx, c, "idempotency-"+string(req.hook.ID)+"-"+req.key)
		if err != nil {
			return verdict{}, err
		}
		if !ok {
			return verdict{}, errKeyBusy
		}
	}
	prior, err := h.prior(ctx, c, req, req.key)
	if err != nil {
		return verdict{}, err
	}
	if prior != nil && prior.BodySha256 != nil && req.keyFromSender && *prior.BodySha256 != bodyHash(req.raw) {
		// As Stripe does: a key sent again with another body is a client's
		// mistake; replaying the first answer would hide it. A provider's
		// delivery id is not checked: a redelivery may carry a new
		// timestamp in its body (Linear's does).
		v := reject(http.StatusUnprocessableEntity, "idempotency_key_reused",
			"idempotency key already used with a different body: send a new key for a new request")
		if err := h.logLater(hk, req, v, pulid.New("log"), nil); err != nil {
			return verdict{}, err
		}
		return *v, nil
	}
	if prior != nil {
		return h.duplicate(hk, req, prior)
	}
	return h.first(ctx, c, hk, req)
}

// first accepts a request not seen before: its idempotency record first,
// then the contact, a schema capture, the log row and the flow runs.
func (h *Handler) first(ctx context.Context, c *ent.Client, hk *store.Hooks, req *request) (verdict, error) {
	id := pulid.New("log")
	v := accepted(id)
	if req.key != "" {
		err := c.IdempotencyKey.Create().SetWebhookID(req.hook.ID).SetKey(req.key).
			SetStatusCode(v.status).SetResponseBody(v.body).SetLogID(id).SetNillableBodySha256(senderBodyHash(req)).
			SetCreatedAt(req.received.UTC()).Exec(ctx)
		if sqlgraph.IsUniqueConstraintError(err) {
			// Committed since the lookup by a server that takes no lock
			// (an older version, mid-upgrade): the job rolls back to its
			// savepoint, and the next try replays that record.
			return verdict{}, fmt.Errorf("recording idempotency key: %w: %w", errKeyBusy, err)
		}
		if err != nil {
			return verdict{}, fmt.Errorf("recording idempotency key: %w", err)
		}
	}
	contact, _, err := h.resolveContact(ctx, c, req)
	if err != nil {
		return verdict{}, err
	}
	if err := h.capture(ctx, c, req); err != nil {
		return verdict{}, err
	}
	var contactID *pulid.ID
	if contact != nil {
		contactID = &contact.ID
	}
	if len(req.flows) == 0 {
		// The common case: nothing refers to the row, which goes in with
		// its batch's others.
		if err := h.logLater(hk, req, &v, id, contactID); err != nil {
			return verdict{}, err
		}
		return v, nil
	}
	// The runs refer to the row: it goes in first.
	row, err := h.logRow(req, &v, id, contactID)
	if err != nil {
		return verdict{}, err
	}
	if err := history.InsertLogs(ctx, c, h.deps.Dialect, row); err != nil {
		return verdict{}, err
	}
	hk.AfterCommit(func() { h.publish(row.Log()) })
	if _, err := h.startFlows(ctx, c, req, id, contactID); err != nil {
		return verdict{}, err
	}
	return v, nil
}

// senderBodyHash is the hash kept with a sender's key; none for a
// provider's delivery id.
func senderBodyHash(req *request) *string {
	if !req.keyFromSender {
		return nil
	}
	h := bodyHash(req.raw)
	return &h
}

// bodyHash is the hex SHA-256 of a request body.
func bodyHash(raw []byte) string {
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
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
func (h *Handler) duplicate(hk *store.Hooks, req *request, prior *ent.IdempotencyKey) (verdict, error) {
	v := verdict{
		answer: answer{
			status: prior.StatusCode, contentType: "application/json", body: prior.ResponseBody,
			header: http.Header{"Idempotent-Replayed": {"true"}},
		},
		outcome: schematype.OutcomeDuplicate,
		reason:  "duplicate of " + string(prior.LogID),
	}
	if err := h.logLater(hk, req, &v, pulid.New("log"), nil); err != nil {
		return verdict{}, err
	}
	return v, nil
}
