package inbound

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/flow"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/ent/webhook"
	"github.com/wexio/webhooks/internal/capture"
	"github.com/wexio/webhooks/internal/jsonpath"
	"github.com/wexio/webhooks/internal/redact"
	"github.com/wexio/webhooks/internal/store"
)

// resolveContact finds the contact the payload names (section 6). A payload
// without the value is still accepted; it links no contact. How it went
// is kept on req, for the log row (req.resolution).
func (h *Handler) resolveContact(ctx context.Context, c *ent.Client, req *request) (*ent.Contact, bool, error) {
	w := req.hook
	if h.deps.Contacts == nil || w.ContactMatch == nil || w.ContactPath == "" {
		return nil, false, nil
	}
	doc, err := req.doc()
	if err != nil {
		return nil, false, err
	}
	value, ok := jsonpath.Get(doc, w.ContactPath)
	if !ok {
		req.resolution = &schematype.ContactResolutionResult{Outcome: schematype.ResolutionPathMissing}
		return nil, false, nil
	}
	text := valueText(value)
	req.resolution = &schematype.ContactResolutionResult{Outcome: schematype.ResolutionInvalidValue, Value: &text}
	if !h.deps.Contacts.Usable(*w.ContactMatch, value) {
		return nil, false, nil
	}
	ct, created, err := h.deps.Contacts.Resolve(ctx, c, *w.ContactMatch, value, w.ContactCreate)
	if err != nil {
		return nil, false, fmt.Errorf("resolving contact: %w", err)
	}
	switch {
	case ct == nil:
		req.resolution.Outcome = schematype.ResolutionNoContact
	case created:
		req.resolution.Outcome = schematype.ResolutionCreated
	default:
		req.resolution.Outcome = schematype.ResolutionMatched
	}
	return ct, created, nil
}

// maxResolutionValue bounds the value a log row keeps of a resolution.
const maxResolutionValue = 255

// valueText is a payload value as the log row names it: a string as it
// is, any other value as JSON, at most maxResolutionValue bytes.
func valueText(v any) string {
	s, ok := v.(string)
	if !ok {
		b, _ := json.Marshal(v)
		s = string(b)
	}
	if len(s) > maxResolutionValue {
		s = strings.ToValidUTF8(s[:maxResolutionValue], "")
	}
	return s
}

// capture turns this request into the webhook's next schema version when a
// capture is in progress. The conditional update makes exactly one request
// win when several race for the same capture.
func (h *Handler) capture(ctx context.Context, c *ent.Client, req *request) error {
	if !req.hook.Capturing {
		// Read at lookup: a capture started since then takes the next request.
		return nil
	}
	n, err := c.Webhook.Update().
		Where(webhook.ID(req.hook.ID), webhook.Capturing(true)).
		SetCapturing(false).AddSchemaVersion(1).
		Save(ctx)
	if err != nil {
		return fmt.Errorf("ending schema capture: %w", err)
	}
	if n == 0 {
		return nil
	}
	version, err := c.Webhook.Query().Where(webhook.ID(req.hook.ID)).Select(webhook.FieldSchemaVersion).Int(ctx)
	if err != nil {
		return fmt.Errorf("reading schema version: %w", err)
	}
	sample, err := sampleOf(req)
	if err != nil {
		return err
	}
	inferred, err := capture.Infer(sample)
	if err != nil {
		return fmt.Errorf("inferring schema: %w", err)
	}
	fields := make([]schematype.SchemaField, len(inferred))
	for i, f := range inferred {
		fields[i] = schematype.SchemaField{Path: f.Path, Type: f.Type, Example: f.Example}
	}
	err = c.WebhookSchema.Create().SetWebhookID(req.hook.ID).SetVersion(version).
		SetCapturedAt(req.received.UTC()).SetFields(fields).SetSample(sample).SetHeaders(headerNames(req)).Exec(ctx)
	if err != nil {
		return fmt.Errorf("writing schema version %d: %w", version, err)
	}
	return nil
}

// headerNames are the names of req's headers a template may use, lower
// case and sorted: credentials and signatures (redact.IsSecret, the
// webhook's own signature header) are not offered.
func headerNames(req *request) []string {
	extra := map[string]bool{}
	if req.signatureHeader != "" {
		extra[strings.ToLower(req.signatureHeader)] = true
	}
	var names []string
	for k := range req.http.Header {
		if !redact.IsSecret(k, extra) {
			names = append(names, strings.ToLower(k))
		}
	}
	slices.Sort(names)
	return names
}

// sampleOf is the payload as JSON: the raw bytes for a JSON body (so its
// key order stays), the converted object for a form. A NUL character
// (\u0000) becomes U+FFFD, as in the log rows: PostgreSQL keeps none in
// JSON, and the capture would fail, losing the request.
func sampleOf(req *request) (json.RawMessage, error) {
	if json.Valid(req.raw) && !bytes.Contains(req.raw, []byte(`\u0000`)) {
		return json.RawMessage(req.raw), nil
	}
	doc, err := req.doc()
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(withoutNUL(doc))
	if err != nil {
		return nil, fmt.Errorf("encoding sample: %w", err)
	}
	return b, nil
}

// startFlows writes one PENDING run of every enabled flow bound to the
// webhook, as read at lookup: the cache is invalidated by every flow change
// once it commits, and a flow disabled in between fails its run with that
// reason. A flow deleted in between breaks its insert's foreign key: the
// inserts roll back to their savepoint, and the flows are read again
// inside the transaction and started. The flow worker executes the runs
// after the commit.
func (h *Handler) startFlows(ctx context.Context, c *ent.Client, req *request, logID pulid.ID, contactID *pulid.ID) (int, error) {
	if len(req.flows) == 0 {
		return 0, nil
	}
	// In a savepoint: on PostgreSQL the failed insert would otherwise
	// abort the whole transaction, and the runs written before it go too.
	var started []pulid.ID
	err := store.Savepoint(ctx, c, "flow_runs", func() (err error) {
		started, err = insertRuns(ctx, c, req.flows, req, logID, contactID)
		return err
	})
	if ent.IsConstraintError(err) {
		var ids []pulid.ID
		if ids, err = enabledFlows(ctx, c, req.hook.ID); err != nil {
			return 0, err
		}
		started, err = insertRuns(ctx, c, ids, req, logID, contactID)
	}
	return len(started), err
}

// insertRuns starts a run of each of flows and returns them. One insert
// per run: a webhook has a flow or two, and ent's bulk insert (INSERT …
// RETURNING) costs more than two plain ones on SQLite.
func insertRuns(ctx context.Context, c *ent.Client, flows []pulid.ID, req *request, logID pulid.ID, contactID *pulid.ID) ([]pulid.ID, error) {
	for _, id := range flows {
		err := c.FlowRun.Create().SetFlowID(id).SetLogID(logID).SetNillableContactID(contactID).
			SetStatus(schematype.RunPending).SetNextAttemptAt(req.received.UTC()).Exec(ctx)
		if err != nil {
			return nil, fmt.Errorf("starting flow runs: %w", err)
		}
	}
	return flows, nil
}

// enabledFlows lists the enabled flows bound to webhook id.
func enabledFlows(ctx context.Context, c *ent.Client, id pulid.ID) ([]pulid.ID, error) {
	ids, err := c.Flow.Query().Where(flow.WebhookID(id), flow.Enabled(true)).IDs(ctx)
	if err != nil {
		return nil, fmt.Errorf("finding the webhook's flows: %w", err)
	}
	return ids, nil
}

// withoutNUL is v with every NUL in its strings and keys replaced by U+FFFD.
func withoutNUL(v any) any {
	switch x := v.(type) {
	case string:
		return strings.ReplaceAll(x, "\x00", "\uFFFD")
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = withoutNUL(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[withoutNUL(k).(string)] = withoutNUL(e)
		}
		return out
	}
	return v
}
