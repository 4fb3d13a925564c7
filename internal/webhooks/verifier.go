package webhooks

import (
	"fmt"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/internal/verify"
)

// Verifier builds the verifier of inbound webhook w with its credentials
// open, for a caller to keep: the inbound handler builds one per webhook,
// not one per request. A previous secret still in its rotation grace goes
// in with the grace's end (verify.ExpiringSecret), which the verifier checks
// against each request's time, so a kept verifier stops accepting it when
// the grace ends rather than when it happens to be rebuilt.
//
// The error wraps verify.ErrMisconfigured when w's settings name no scheme
// verify can run; otherwise a credential could not be opened.
func (s *Service) Verifier(w *ent.Webhook) (*verify.Verifier, error) {
	cfg := authConfig(w.AuthMode, w.AuthPreset, w.AuthHmac, w.ToleranceSeconds)
	cur, ok, err := s.currentSecret(w)
	if err != nil {
		return nil, err
	}
	if ok {
		cfg.Secrets = []string{cur}
	}
	prev, until, ok, err := s.previousSecret(w)
	if err != nil {
		return nil, err
	}
	if ok {
		cfg.Expiring = []verify.ExpiringSecret{{Secret: prev, Until: until}}
	}
	if cfg.VerifyToken, err = s.verifyToken(w); err != nil {
		return nil, err
	}
	v, err := verify.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("building the verifier of %s: %w", w.ID, err)
	}
	return v, nil
}

// verifyToken opens the handshake verify token an inbound webhook was
// given, or "" when it has none: verify then tries the secrets themselves
// (verify.Config.VerifyToken). ent reads an unset nillable bytes column as
// a pointer to an empty slice.
func (s *Service) verifyToken(w *ent.Webhook) (string, error) {
	if w.VerifyToken == nil || len(*w.VerifyToken) == 0 {
		return "", nil
	}
	tok, err := s.box.Open(*w.VerifyToken, string(w.ID)+"/verify")
	if err != nil {
		return "", fmt.Errorf("opening verify token of %s: %w", w.ID, err)
	}
	return tok, nil
}
