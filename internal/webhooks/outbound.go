package webhooks

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/apperr"
	"github.com/wexio/webhooks/internal/events"
	"github.com/wexio/webhooks/internal/redact"
	"github.com/wexio/webhooks/internal/signing"
)

// Bounds on per-webhook delivery settings.
const (
	maxRetriesLimit     = 50
	timeoutSecondsLimit = 300
	maxStaticHeaders    = 32
)

// reservedHeaders are set by the dispatcher on every attempt; static headers
// may not override them (a forged webhook-signature would defeat signing).
var reservedHeaders = map[string]bool{
	"Content-Type": true, "Content-Length": true, "Host": true, "User-Agent": true,
	"Authorization": true, "Webhook-Id": true, "Webhook-Timestamp": true, "Webhook-Signature": true,
	"Connection": true, "Transfer-Encoding": true,
}

// outboundAuth is a validated outbound authentication setting.
type outboundAuth struct {
	mode      schematype.OutboundAuthMode
	secret    string // HMAC secret, bearer token or basic password
	username  string
	generated bool
}

// CreateOutbound creates an outbound webhook. The returned secret is the
// whsec_ signing secret when one was generated here.
func (s *Service) CreateOutbound(ctx context.Context, c *ent.Client, in CreateOutboundInput) (*ent.Webhook, *string, error) {
	name, err := validateName(in.Name)
	if err != nil {
		return nil, nil, err
	}
	id := pulid.New("wh")
	create := c.Webhook.Create().SetID(id).SetName(name).SetNillableDescription(in.Description).
		SetDirection(schematype.DirectionOutbound).
		SetMaxRetries(s.cfg.MaxRetries).SetTimeoutSeconds(s.cfg.TimeoutSeconds)
	m := create.Mutation()
	if err := s.applyDelivery(m, id, nil, &in.URL, in.Events, in.Headers, in.MaxRetries, in.TimeoutSeconds); err != nil {
		return nil, nil, err
	}
	if err := s.applyLimits(m, in.Limits); err != nil {
		return nil, nil, err
	}
	if len(in.Events) == 0 {
		return nil, nil, apperr.Invalid("events must name at least one event type or pattern")
	}
	auth, err := parseOutboundAuth(in.Auth)
	if err != nil {
		return nil, nil, err
	}
	s.applyOutboundAuth(m, id, auth)
	w, err := create.Save(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("creating outbound webhook: %w", err)
	}
	if auth.generated {
		return w, &auth.secret, nil
	}
	return w, nil, nil
}

// applyDelivery validates and writes the delivery settings that are set.
// cur is the webhook as stored, nil on creation: values given back as
// redact.Marker keep its own.
func (s *Service) applyDelivery(m *ent.WebhookMutation, id pulid.ID, cur *ent.Webhook, url *string, evs []string, headers any, retries, timeout *int) error {
	if url != nil {
		if err := s.applyURL(m, id, *url, cur); err != nil {
			return err
		}
	}
	if evs != nil {
		for _, p := range evs {
			if err := events.ValidPattern(p); err != nil {
				return apperr.Invalid("events: %v", err)
			}
		}
		m.SetEvents(evs)
	}
	if headers != nil {
		var current map[string]string
		if cur != nil {
			current = cur.Headers
		}
		h, kept, err := staticHeaders(headers, current)
		if err != nil {
			return err
		}
		m.SetHeaders(s.storedHeaders(h, kept, id))
	}
	if retries != nil {
		if *retries < 0 || *retries > maxRetriesLimit {
			return apperr.Invalid("maxRetries must be between 0 and %d", maxRetriesLimit)
		}
		m.SetMaxRetries(*retries)
	}
	if timeout != nil {
		if *timeout < 1 || *timeout > timeoutSecondsLimit {
			return apperr.Invalid("timeoutSeconds must be between 1 and %d", timeoutSecondsLimit)
		}
		m.SetTimeoutSeconds(*timeout)
	}
	return nil
}

// staticHeaders validates the extra headers: an object of string values with
// valid names, none of them reserved. The API shows every value not on the
// harmless list as redact.Marker; given back so, the current value stays
// (as stored, and reported in kept), so a client can send the settings it
// read.
func staticHeaders(v any, current map[string]string) (h map[string]string, kept map[string]bool, err error) {
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, nil, apperr.Invalid("headers must be an object of strings")
	}
	if len(obj) > maxStaticHeaders {
		return nil, nil, apperr.Invalid("at most %d static headers", maxStaticHeaders)
	}
	h, kept = make(map[string]string, len(obj)), map[string]bool{}
	for k, raw := range obj {
		val, ok := raw.(string)
		name := http.CanonicalHeaderKey(strings.TrimSpace(k))
		switch {
		case !ok:
			return nil, nil, apperr.Invalid("headers.%s must be a string", k)
		case !validHeaderName(name):
			return nil, nil, apperr.Invalid("headers: %q is not a valid header name", k)
		case reservedHeaders[name]:
			return nil, nil, apperr.Invalid("headers: %s is set by the server and cannot be overridden", name)
		case strings.ContainsAny(val, "\r\n\x00"):
			return nil, nil, apperr.Invalid("headers.%s contains a line break", k)
		}
		if prev, ok := current[name]; ok && val == redact.Marker {
			val, kept[name] = prev, true
		}
		h[name] = val
	}
	return h, kept, nil
}

func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("!#$%&'*+-.^_`|~", c)) {
			return false
		}
	}
	return true
}

// parseOutboundAuth validates an outbound auth input, generating the HMAC
// secret when none is given.
func parseOutboundAuth(in *OutboundAuthInput) (outboundAuth, error) {
	if in == nil {
		in = &OutboundAuthInput{Mode: schematype.OutboundHMAC}
	}
	a := outboundAuth{mode: in.Mode}
	switch in.Mode {
	case schematype.OutboundNone:
	case schematype.OutboundBearer:
		if in.Token == nil || strings.TrimSpace(*in.Token) == "" {
			return a, apperr.Invalid("auth mode BEARER needs a token")
		}
		a.secret = strings.TrimSpace(*in.Token)
	case schematype.OutboundBasic:
		if in.Username == nil || *in.Username == "" || strings.Contains(*in.Username, ":") || in.Password == nil || *in.Password == "" {
			return a, apperr.Invalid("auth mode BASIC needs a username (without ':') and a password")
		}
		a.username, a.secret = *in.Username, *in.Password
	case schematype.OutboundHMAC:
		if in.Secret != nil && *in.Secret != "" {
			if err := signing.CheckSecret(*in.Secret); err != nil {
				return a, apperr.Invalid("auth.secret: %v", err)
			}
			a.secret = *in.Secret
			break
		}
		secret, err := signing.NewSecret()
		if err != nil {
			return a, err // signing.NewSecret says what failed
		}
		a.secret, a.generated = secret, true
	default:
		return a, apperr.Invalid("unknown auth mode %q", in.Mode)
	}
	return a, nil
}

// applyOutboundAuth writes a validated outbound auth setting.
func (s *Service) applyOutboundAuth(m *ent.WebhookMutation, id pulid.ID, a outboundAuth) {
	m.SetOutboundAuth(a.mode)
	m.SetBasicUsername(a.username)
	m.ClearPreviousSecret()
	m.ClearPreviousSecretExpiresAt()
	if a.secret == "" {
		m.ClearSecret()
		m.SetSecretHint("")
		return
	}
	m.SetSecret(s.box.Seal(a.secret, string(id)))
	m.SetSecretHint(hint(a.secret))
}
