package webhooks

import (
	"context"
	"fmt"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/apperr"
	"github.com/wexio/webhooks/internal/jsonpath"
	"github.com/wexio/webhooks/internal/verify"
)

// DefaultToleranceSeconds is the replay window of timestamped schemes,
// unless a preset's provider documents its own (presetTolerance).
const DefaultToleranceSeconds = 300

// tokenBytes gives inbound tokens 256 random bits (the contract asks 128+).
const tokenBytes = 32

// inboundAuth is a validated inbound authentication setting.
type inboundAuth struct {
	mode        schematype.InboundAuthMode
	preset      string
	secret      string
	generated   bool
	verifyToken *string
	hmac        *schematype.HMACParams
	tolerance   int
}

// CreateInbound creates an inbound webhook. The returned secret is set only
// when it was generated here (SHARED_SECRET without a secret given).
func (s *Service) CreateInbound(ctx context.Context, c *ent.Client, in CreateInboundInput) (*ent.Webhook, *string, error) {
	name, err := validateName(in.Name)
	if err != nil {
		return nil, nil, err
	}
	auth, err := parseInboundAuth(in.Auth)
	if err != nil {
		return nil, nil, err
	}
	id := pulid.New("wh")
	create := c.Webhook.Create().SetID(id).SetName(name).SetNillableDescription(in.Description).
		SetDirection(schematype.DirectionInbound).SetToken(randomToken(tokenBytes))
	s.applyAuth(create.Mutation(), id, auth)
	if in.Capture != nil && *in.Capture {
		create.SetCapturing(true)
	}
	if in.ContactResolution != nil {
		if err := applyContactResolution(create.Mutation(), in.ContactResolution); err != nil {
			return nil, nil, err
		}
	}
	w, err := create.Save(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("creating inbound webhook: %w", err)
	}
	if auth.generated {
		return w, &auth.secret, nil
	}
	return w, nil, nil
}

// parseInboundAuth validates an auth input and fills in its defaults.
func parseInboundAuth(in *InboundAuthInput) (inboundAuth, error) {
	if in == nil {
		in = &InboundAuthInput{Mode: schematype.AuthSharedSecret}
	}
	a := inboundAuth{mode: in.Mode, tolerance: DefaultToleranceSeconds, verifyToken: in.VerifyToken}
	if in.ToleranceSeconds != nil {
		if *in.ToleranceSeconds < 0 || *in.ToleranceSeconds > 7*24*3600 {
			return a, apperr.Invalid("toleranceSeconds must be between 0 and 604800")
		}
		a.tolerance = *in.ToleranceSeconds
	}
	if in.Preset != nil {
		a.preset = *in.Preset
	}
	if in.Mode != schematype.AuthModePreset && a.preset != "" {
		return a, apperr.Invalid("preset is only valid with mode PRESET")
	}
	if in.ToleranceSeconds == nil {
		a.tolerance = presetTolerance(a.preset, a.tolerance)
	}
	if in.Mode == schematype.AuthGenericHMAC {
		if in.Hmac == nil {
			return a, apperr.Invalid("mode GENERIC_HMAC needs hmac parameters")
		}
		a.hmac = in.Hmac.params()
	} else if in.Hmac != nil {
		return a, apperr.Invalid("hmac parameters are only valid with mode GENERIC_HMAC")
	}
	switch {
	case in.Secret != nil && *in.Secret != "":
		a.secret = *in.Secret
	case in.Mode == schematype.AuthSharedSecret:
		a.secret, a.generated = randomToken(32), true
	default:
		return a, apperr.Invalid("mode %s needs the provider's secret", in.Mode)
	}
	return a, validateInbound(a)
}

// presetTolerance is the replay window a preset gets when none is given:
// the one its provider documents (providers.md: Linear 60 s, Calendly 3 min,
// Twitch 10 min), so it accepts and refuses what the provider's own SDK
// does. Presets that are a native mode (stripe, paddle, ...) keep the
// contract's default, like the mode itself.
func presetTolerance(key string, def int) int {
	p, ok := verify.LookupPreset(key)
	if !ok || p.Mode != verify.Preset || p.Tolerance <= 0 {
		return def
	}
	return int(p.Tolerance / time.Second)
}

// validateInbound asks the verify package whether it can work with a.
func validateInbound(a inboundAuth) error {
	if err := verify.ValidateConfig(a.verifyConfig()); err != nil {
		return apperr.Invalid("auth: %v", err)
	}
	return nil
}

func (h *HMACInput) params() *schematype.HMACParams {
	p := &schematype.HMACParams{Header: h.Header, Algorithm: h.Algorithm, Encoding: h.Encoding, SignedPayload: h.SignedPayload}
	if h.Prefix != nil {
		p.Prefix = *h.Prefix
	}
	if h.TimestampHeader != nil {
		p.TimestampHeader = *h.TimestampHeader
	}
	return p
}

// verifyConfig is the verification setting this auth stands for.
func (a inboundAuth) verifyConfig() verify.Config {
	cfg := authConfig(a.mode, a.preset, a.hmac, a.tolerance)
	cfg.Secrets = []string{a.secret}
	return cfg
}

// authConfig is the verify package's configuration of an inbound webhook's
// stored settings, without its credentials.
func authConfig(mode schematype.InboundAuthMode, preset string, h *schematype.HMACParams, tolerance int) verify.Config {
	cfg := verify.Config{
		Mode:      verify.Mode(mode),
		Preset:    preset,
		Tolerance: time.Duration(tolerance) * time.Second,
	}
	if h != nil {
		cfg.HMAC = &verify.HMACParams{
			Header: h.Header, Algorithm: h.Algorithm, Encoding: h.Encoding, Prefix: h.Prefix,
			TimestampHeader: h.TimestampHeader, SignedPayload: h.SignedPayload,
		}
	}
	return cfg
}

// applyAuth writes a validated auth setting, sealing its secrets.
func (s *Service) applyAuth(m *ent.WebhookMutation, id pulid.ID, a inboundAuth) {
	m.SetAuthMode(a.mode)
	m.SetAuthPreset(a.preset)
	m.SetToleranceSeconds(a.tolerance)
	if a.hmac != nil {
		m.SetAuthHmac(a.hmac)
	} else {
		m.ClearAuthHmac()
	}
	m.SetSecret(s.box.Seal(a.secret, string(id)))
	m.SetSecretHint(hint(a.secret))
	if a.verifyToken != nil {
		sealed := s.box.Seal(*a.verifyToken, string(id)+"/verify")
		m.SetVerifyToken(sealed)
	} else {
		m.ClearVerifyToken()
	}
}

// applyContactResolution validates and writes a contact resolution.
func applyContactResolution(m *ent.WebhookMutation, in *ContactResolutionInput) error {
	if _, err := jsonpath.Parse(in.Path); err != nil {
		return apperr.Invalid("contactResolution.path: %v", err)
	}
	m.SetContactMatch(in.Match)
	m.SetContactPath(in.Path)
	m.SetContactCreate(in.CreateIfMissing != nil && *in.CreateIfMissing)
	return nil
}
