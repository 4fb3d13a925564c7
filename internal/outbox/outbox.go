package outbox

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/ent/webhook"
	"github.com/wexio/webhooks/internal/events"
	"github.com/wexio/webhooks/internal/tenant"
)

// Notifier is told, after a commit, that due deliveries exist (the
// dispatcher's wake-up). Implementations must not block.
type Notifier interface{ Notify() }

// Emitted is what Emit wrote.
type Emitted struct {
	Event      *ent.Event
	Deliveries []*ent.Delivery
}

// Emit writes event typ with data (marshalled to JSON) and one PENDING
// delivery, due at now, per outbound webhook of the workspace in ctx whose
// patterns match: ACTIVE ones and PAUSED ones (which hold their deliveries
// until resumed); DISABLED webhooks get none. c must be the transaction's
// client, so the event commits with the change that caused it.
//
// When ctx carries a Matcher (WithMatcher), the workspace's outbound
// webhooks are read once per client and workspace and reused by later
// emits in that context; otherwise they are read on every call.
func Emit(ctx context.Context, c *ent.Client, typ string, data any, now time.Time) (*Emitted, error) {
	m, _ := ctx.Value(matcherKey{}).(*Matcher)
	return m.emit(ctx, c, typ, data, now)
}

// Matcher remembers the outbound webhooks of one workspace as one client
// (transaction) sees them, so that several emits in one write job read them
// once. Create one per job (WithMatcher on the job's context)
// and drop it when the job ends: it must not outlive the transaction, nor
// be used by a job that changes webhooks after the first emit. It is not
// safe for concurrent use. A nil *Matcher remembers nothing.
//
// The memo is keyed by the client and the workspace in the context: an emit
// with another client, another workspace or no workspace reads the webhooks
// again (unscoped contexts are never memoised), and only webhooks whose
// workspace_id is the context's are served from it.
type Matcher struct {
	c     *ent.Client
	ws    string
	hooks []*ent.Webhook
}

type matcherKey struct{}

// WithMatcher returns ctx carrying a new Matcher, which Emit (and so every
// operation emitting through it in ctx) then uses.
func WithMatcher(ctx context.Context) context.Context {
	return context.WithValue(ctx, matcherKey{}, &Matcher{})
}

// emit is Emit using m's memo of the workspace's webhooks.
func (m *Matcher) emit(ctx context.Context, c *ent.Client, typ string, data any, now time.Time) (*Emitted, error) {
	if !events.ValidType(typ) {
		return nil, fmt.Errorf("emitting event: invalid type %q", typ)
	}
	raw, err := marshal(data)
	if err != nil {
		return nil, fmt.Errorf("emitting %s: %w", typ, err)
	}
	ev, err := c.Event.Create().SetType(typ).SetOccurredAt(now.UTC()).SetData(raw).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("writing %s event: %w", typ, err)
	}
	hooks, err := m.webhooks(ctx, c)
	if err != nil {
		return nil, fmt.Errorf("matching webhooks for %s: %w", typ, err)
	}
	out := &Emitted{Event: ev}
	for _, w := range hooks {
		if !events.MatchAny(w.Events, typ) {
			continue
		}
		d, err := Deliver(ctx, c, ev.ID, w, now)
		if err != nil {
			return nil, err
		}
		out.Deliveries = append(out.Deliveries, d)
	}
	return out, nil
}

// webhooks returns the outbound webhooks that get deliveries (ACTIVE and
// PAUSED) of the workspace in ctx: from the memo when it holds them, else
// from the Subscriptions in ctx when they can answer, else read with c.
func (m *Matcher) webhooks(ctx context.Context, c *ent.Client) ([]*ent.Webhook, error) {
	ws, scoped := tenant.Workspace(ctx)
	if !scoped {
		return query(ctx, c, "")
	}
	if m != nil && m.c == c && m.ws == ws {
		return m.hooks, nil
	}
	var hooks []*ent.Webhook
	ok := false
	if subs, _ := ctx.Value(subscriptionsKey{}).(Source); subs != nil {
		hooks, ok = subs.Subscribed(ctx, ws)
	}
	if !ok {
		var err error
		if hooks, err = query(ctx, c, ws); err != nil {
			return nil, err
		}
	}
	if m != nil {
		m.c, m.ws, m.hooks = c, ws, hooks
	}
	return hooks, nil
}

// query reads the outbound webhooks that get deliveries with c, those of
// workspace ws only unless ws is "" (the tenant filter's rows; never
// another's).
func query(ctx context.Context, c *ent.Client, ws string) ([]*ent.Webhook, error) {
	q := c.Webhook.Query().Where(webhook.DirectionEQ(schematype.DirectionOutbound),
		webhook.StatusIn(schematype.WebhookActive, schematype.WebhookPaused))
	if ws != "" {
		// In the query, not after it: a system context (the dispatcher's)
		// has no tenant filter, and the workspace index applies.
		q.Where(webhook.WorkspaceID(pulid.ID(ws)))
	}
	// Whole rows: the dispatcher attempts each delivery with its webhook as
	// it is now (Subscriptions.Webhook), not as it was when claimed.
	return q.All(ctx)
}

// Deliver writes one PENDING delivery of event to w: due at now when w is
// ACTIVE, held (no due time) while it is PAUSED. Held deliveries are not
// "due", so the dispatcher's claim never rescans a paused webhook's backlog;
// resuming the webhook makes them due at once.
func Deliver(ctx context.Context, c *ent.Client, event pulid.ID, w *ent.Webhook, now time.Time) (*ent.Delivery, error) {
	m := c.Delivery.Create().SetEventID(event).SetWebhookID(w.ID).SetStatus(schematype.DeliveryPending)
	// A PAUSED or FAILING webhook holds it (no due time). w may be a
	// cached copy a few seconds old: a delivery held for a webhook that
	// healed meanwhile is released by the health sweep
	// (outbound.Sweeper), and one due for a webhook found FAILING
	// meanwhile is held by its first failed attempt.
	if w.Status != schematype.WebhookPaused && w.Health != schematype.HealthFailing {
		m.SetNextAttemptAt(now.UTC())
	}
	d, err := m.Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("writing delivery of %s to %s: %w", event, w.ID, err)
	}
	return d, nil
}

// marshal writes data as compact JSON without HTML escaping: these bytes are
// what receivers get and sign over.
func marshal(data any) ([]byte, error) {
	if raw, ok := data.(json.RawMessage); ok {
		if !json.Valid(raw) {
			return nil, fmt.Errorf("event data is not valid JSON")
		}
		return raw, nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(data); err != nil {
		return nil, fmt.Errorf("encoding event data: %w", err)
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}
