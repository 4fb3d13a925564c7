package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/graph/model"
	"github.com/wexio/webhooks/internal/apperr"
	"github.com/wexio/webhooks/internal/capture"
	"github.com/wexio/webhooks/internal/redact"
	"github.com/wexio/webhooks/internal/template"
	"github.com/wexio/webhooks/internal/tenant"
	"github.com/wexio/webhooks/internal/verify"
)

// page validates a connection's page size and applies the default, so no
// list is ever read whole.
func page(first, last *int) (*int, *int, error) {
	for _, n := range []*int{first, last} {
		if n != nil && (*n < 0 || *n > MaxPageSize) {
			return nil, nil, apperr.Invalid("first and last must be between 0 and %d", MaxPageSize)
		}
	}
	if first != nil && last != nil {
		return nil, nil, apperr.Invalid("first and last cannot be used together")
	}
	if first == nil && last == nil {
		n := DefaultPageSize
		first = &n
	}
	return first, last, nil
}

// workspaceID is the caller's workspace (set by the auth middleware).
func workspaceID(ctx context.Context) (pulid.ID, error) {
	ws, ok := tenant.Workspace(ctx)
	if !ok {
		return "", fmt.Errorf("resolving viewer: no workspace in context")
	}
	return pulid.ID(ws), nil
}

// inboundSettings is the inbound view of a webhook.
func (r *Resolver) inboundSettings(w *ent.Webhook) *model.InboundSettings {
	if w.Direction != schematype.DirectionInbound {
		return nil
	}
	auth := &model.InboundAuth{
		Mode:             w.AuthMode,
		SecretHint:       w.SecretHint,
		Hmac:             w.AuthHmac,
		ToleranceSeconds: w.ToleranceSeconds,
	}
	if w.AuthMode == schematype.AuthModePreset {
		auth.Preset = &w.AuthPreset
		if p, ok := verify.LookupPreset(w.AuthPreset); ok && p.HMAC != nil {
			auth.Hmac = hmacParams(p.HMAC)
		}
	}
	s := &model.InboundSettings{URL: r.Webhooks.InboundURL(w), Auth: auth, Capturing: w.Capturing}
	if w.ContactMatch != nil {
		s.ContactResolution = &model.ContactResolution{Match: *w.ContactMatch, Path: w.ContactPath, CreateIfMissing: w.ContactCreate}
	}
	return s
}

// outboundSettings is the outbound view of a webhook.
func outboundSettings(w *ent.Webhook) *model.OutboundSettings {
	if w.Direction != schematype.DirectionOutbound {
		return nil
	}
	s := &model.OutboundSettings{
		// Stored redacted: redact.URL leaves it so, and guards a row
		// written around the API.
		URL: redact.URL(w.URL), Auth: w.OutboundAuth, Events: w.Events,
		MaxRetries: w.MaxRetries, TimeoutSeconds: w.TimeoutSeconds,
		MaxConcurrency: w.MaxConcurrency, RateLimitPerSecond: w.RateLimitPerSecond, Ordered: w.Ordered,
		Health: &model.EndpointHealth{WebhookID: w.ID, State: w.Health, Since: w.HealthSince,
			ConsecutiveFailures: w.ConsecutiveFailures, LastError: w.LastError},
	}
	if s.Events == nil {
		s.Events = []string{}
	}
	if len(w.Headers) > 0 {
		h := make(map[string]any, len(w.Headers))
		for k, v := range w.Headers {
			if !redact.Harmless(k) {
				v = redact.Marker // stored sealed: not read back, like the auth secret
			}
			h[k] = v
		}
		s.Headers = h
	}
	if w.SecretHint != "" {
		s.SecretHint = &w.SecretHint
	}
	return s
}

func hmacParams(p *verify.HMACParams) *schematype.HMACParams {
	return &schematype.HMACParams{
		Header: p.Header, Algorithm: p.Algorithm, Encoding: p.Encoding, Prefix: p.Prefix,
		TimestampHeader: p.TimestampHeader, SignedPayload: p.SignedPayload,
	}
}

// authPresets lists the preset registry.
func authPresets() []*model.AuthPreset {
	presets := verify.Presets()
	out := make([]*model.AuthPreset, 0, len(presets))
	for _, p := range presets {
		ap := &model.AuthPreset{Key: p.Key, Name: p.Name, Mode: schematype.InboundAuthMode(p.Mode), SecretLabel: p.SecretLabel}
		if p.HMAC != nil {
			ap.Hmac = hmacParams(p.HMAC)
		}
		if p.DocsURL != "" {
			docs := p.DocsURL
			ap.DocsURL = &docs
		}
		out = append(out, ap)
	}
	return out
}

// rawJSON decodes stored JSON for a JSON scalar, keeping numbers exact.
func rawJSON(raw []byte) (any, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("decoding stored JSON: %w", err)
	}
	return v, nil
}

// templateVariables lists what a flow template can name: the payload paths
// of the latest captured schema, the contact's fields and the webhook's name.
func templateVariables(latest *ent.WebhookSchema) []string {
	var out []string
	if latest != nil {
		fields := make([]capture.Field, len(latest.Fields))
		for i, f := range latest.Fields {
			fields[i] = capture.Field{Path: f.Path, Type: f.Type}
		}
		for _, p := range capture.TemplatePaths(fields) {
			out = append(out, "payload."+p)
		}
		for _, h := range latest.Headers {
			out = append(out, "headers."+h)
		}
	}
	for _, f := range template.ContactFields {
		out = append(out, "contact."+f)
	}
	for _, f := range template.WebhookFields {
		out = append(out, "webhook."+f)
	}
	return out
}

// nonEmpty is s for a nullable field where "" means none.
func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
