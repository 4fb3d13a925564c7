package outbound

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/events"
	"github.com/wexio/webhooks/internal/redact"
	"github.com/wexio/webhooks/internal/signing"
)

// MaxResponseBody is how much of a receiver's answer an attempt keeps.
const MaxResponseBody = 8 << 10

// drainLimit is how much more of an answer is read and dropped so the
// connection can be reused; beyond it, closing is cheaper.
const drainLimit = 64 << 10

// result is what one attempt produced, before it is recorded.
type result struct {
	at       time.Time // when it started, by the injected clock
	duration time.Duration
	request  schematype.HTTPMessage
	status   int         // 0 without an answer
	header   http.Header // the answer's
	response *schematype.HTTPMessage
	err      error     // the round trip's
	decision *Decision // set when the attempt could not even be made
}

// attempt makes one attempt at dl, or at a delivery of the same webhook
// that waited at the gate before it, and hands it to rec to be recorded;
// then, while deliveries of the webhook wait at the gate for its share,
// the next of them (unless run is done: Run releases those). An attempt
// cut short by shutdown is not recorded: its lease is released so it is
// made again.
func (d *Dispatcher) attempt(ctx, run context.Context, rec *recorder, dl *ent.Delivery) {
	if !d.refresh(ctx, dl) {
		// Paused, disabled or deleted since the claim: its deliveries are
		// held (deliveries.Hold), and this one joins them once its lease is gone.
		d.queue.Release(ctx, dl)
		return
	}
	w := dl.Edges.Webhook
	for next := d.gate.enter(dl, atOnce(w)); next != nil; next = d.gate.leave(w.ID, atOnce(w)) {
		switch {
		case next != dl && (run.Err() != nil || d.cfg.Now().After(startBy(next)) || !d.refresh(ctx, next)):
			// Stopping, or waited so long that its lease could end during
			// the attempt, or paused meanwhile: made again after a new
			// claim, or held.
			d.queue.Release(ctx, next)
		default:
			w = next.Edges.Webhook
			d.attemptOne(ctx, rec, next)
		}
		if next != dl {
			d.gate.done(next.ID)
		}
	}
}

// startBy is the latest an attempt at dl may start and still end within
// its lease.
func startBy(dl *ent.Delivery) time.Time {
	if dl.ClaimedUntil == nil {
		return time.Time{}
	}
	return dl.ClaimedUntil.Add(-MaxAttemptTimeout)
}

// attemptOne makes the attempt, once dl holds a place in its webhook's
// share.
func (d *Dispatcher) attemptOne(ctx context.Context, rec *recorder, dl *ent.Delivery) {
	res := d.send(ctx, dl)
	if ctx.Err() != nil {
		d.queue.Release(ctx, dl)
		return
	}
	rec.submit(dl, res)
}

// refresh gives dl its webhook as it is now, as far as Deps.Subscriptions
// knows, and reports whether it may still be attempted: a delivery can wait
// in the queue a while, and a URL fixed, a secret rotated or a webhook
// paused meanwhile must apply to it. Without an answer, the claim's view
// stands.
func (d *Dispatcher) refresh(ctx context.Context, dl *ent.Delivery) bool {
	if d.deps.Subscriptions != nil {
		w, ok := d.deps.Subscriptions.Webhook(ctx, string(dl.WorkspaceID), dl.WebhookID)
		if ok && w == nil {
			return false
		}
		if ok {
			dl.Edges.Webhook = w
		}
	}
	return dl.Edges.Webhook.Status == schematype.WebhookActive
}

// send POSTs the envelope of dl's event to its webhook. No transaction is
// open here.
func (d *Dispatcher) send(ctx context.Context, dl *ent.Delivery) *result {
	w, ev := dl.Edges.Webhook, dl.Edges.Event
	res := &result{at: d.cfg.Now()}
	body, header, err := d.prepare(w, ev, res.at)
	res.request = schematype.HTTPMessage{Method: http.MethodPost, URL: redact.URL(w.URL), Headers: redact.Headers(header, secretHeader), Body: string(body)}
	if err != nil {
		res.decision = &Decision{Outcome: Failed, Reason: err.Error()}
		return res
	}
	// w.URL shows the query values redacted: the whole URL is sealed.
	target, err := d.deps.URL(w)
	if err != nil {
		res.decision = &Decision{Outcome: Failed, Reason: "reading the webhook's URL: " + err.Error()}
		return res
	}
	ctx, cancel := context.WithTimeout(ctx, d.timeout(w))
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		res.decision = &Decision{Outcome: Failed, Reason: "invalid webhook URL"}
		return res
	}
	req.Header = header
	start := time.Now()
	resp, err := d.deps.Client.Do(req)
	if err != nil {
		res.duration, res.err = time.Since(start), err
		return res
	}
	defer resp.Body.Close()
	// A body that breaks off is kept as far as it came: the status arrived,
	// and the status is what decides; unless the timeout cut it, since the
	// timeout runs to the answer's last byte.
	kept, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBody))
	if err == nil {
		_, err = io.CopyN(io.Discard, resp.Body, drainLimit)
	}
	res.duration = time.Since(start)
	res.status, res.header = resp.StatusCode, resp.Header
	res.response = &schematype.HTTPMessage{Headers: redact.Headers(resp.Header, nil), Body: string(kept)}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) && err != nil && err != io.EOF {
		res.err = fmt.Errorf("reading the answer: %w", context.DeadlineExceeded)
	}
	return res
}

// prepare builds the body and headers of an attempt at time at.
func (d *Dispatcher) prepare(w *ent.Webhook, ev *ent.Event, at time.Time) ([]byte, http.Header, error) {
	body, err := events.Envelope{ID: string(ev.ID), Type: ev.Type, Timestamp: ev.OccurredAt, Data: ev.Data}.Marshal()
	if err != nil {
		return nil, http.Header{}, fmt.Errorf("building body: %w", err)
	}
	static, err := d.deps.Headers(w)
	if err != nil {
		return body, http.Header{}, fmt.Errorf("reading the webhook's headers: %w", err)
	}
	h := make(http.Header, len(static)+6)
	for k, v := range static {
		if !reserved(k) {
			h.Set(k, v)
		}
	}
	h.Set("Content-Type", "application/json")
	h.Set("User-Agent", d.ua)
	h.Set("Webhook-Id", string(ev.ID))
	h.Set("Webhook-Timestamp", strconv.FormatInt(at.Unix(), 10))
	if err := d.authorize(h, w, ev, at, body); err != nil {
		return body, h, err
	}
	return body, h, nil
}

// authorize adds the signature or credentials of w's auth mode.
func (d *Dispatcher) authorize(h http.Header, w *ent.Webhook, ev *ent.Event, at time.Time, body []byte) error {
	if w.OutboundAuth == "" || w.OutboundAuth == schematype.OutboundNone {
		return nil
	}
	secrets, err := d.deps.Secrets(w)
	if err != nil || len(secrets) == 0 {
		return fmt.Errorf("reading the webhook's %s credentials: %w", w.OutboundAuth, orNoSecret(err))
	}
	switch w.OutboundAuth {
	case schematype.OutboundHMAC:
		sig, err := signing.Sign(secrets, string(ev.ID), at, body)
		if err != nil {
			return err // says which secret would not sign, and why
		}
		h.Set("Webhook-Signature", sig)
	case schematype.OutboundBearer:
		h.Set("Authorization", "Bearer "+secrets[0])
	case schematype.OutboundBasic:
		cred := base64.StdEncoding.EncodeToString([]byte(w.BasicUsername + ":" + secrets[0]))
		h.Set("Authorization", "Basic "+cred)
	}
	return nil
}

func orNoSecret(err error) error {
	if err == nil {
		return signing.ErrNoSecret
	}
	return err
}

// secretHeader reports which request headers are redacted in the stored
// attempt: all but the harmless ones (redact.Harmless) and our own that
// identify the attempt. Static headers are judged as the API shows them,
// whatever their names, and our Authorization and signature are redacted
// with them.
func secretHeader(k string) bool {
	return !redact.Harmless(k) && k != "Webhook-Id" && k != "Webhook-Timestamp"
}

// timeout is w's per-attempt limit, connect to last byte.
func (d *Dispatcher) timeout(w *ent.Webhook) time.Duration {
	if w.TimeoutSeconds <= 0 {
		return min(d.cfg.Timeout, MaxAttemptTimeout)
	}
	return min(time.Duration(w.TimeoutSeconds)*time.Second, MaxAttemptTimeout)
}
