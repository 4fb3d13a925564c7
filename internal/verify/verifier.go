package verify

import (
	"fmt"
	"slices"
	"time"
)

// Verifier authenticates the requests of one webhook. New resolves the
// scheme once, so a caller keeps a Verifier per webhook rather than a Config;
// it is never changed afterwards and is safe for concurrent use.
type Verifier struct {
	b           binding
	secrets     []string // non-empty ones only, current first
	expiring    []ExpiringSecret
	verifyToken string
	tolerance   time.Duration
	sigHeader   string
}

// New returns the verifier of cfg. A config that names no scheme it can
// run (an unknown mode or preset, invalid HMAC parameters) is an error that
// wraps ErrMisconfigured, so a caller refusing requests with it answers what
// Verify would, and the specific sentinel (ErrUnknownPreset, ...) for its
// log. A config without secrets is not an error here: Verify refuses every
// request with ErrMisconfigured, while a Meta handshake can still be
// answered with the verify token.
func New(cfg Config) (*Verifier, error) {
	v, err := build(cfg)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMisconfigured, err)
	}
	return v, nil
}

// build is New without the classification, for ValidateConfig, whose errors
// the user reads.
func build(cfg Config) (*Verifier, error) {
	b, err := resolve(cfg)
	if err != nil {
		return nil, err
	}
	v := &Verifier{b: b, verifyToken: cfg.VerifyToken, tolerance: cfg.Tolerance}
	// An empty secret would match an empty header or be a public HMAC key.
	for _, s := range cfg.Secrets {
		if s != "" {
			v.secrets = append(v.secrets, s)
		}
	}
	for _, e := range cfg.Expiring {
		if e.Secret != "" {
			v.expiring = append(v.expiring, e)
		}
	}
	if cfg.HMAC != nil {
		v.sigHeader = cfg.HMAC.Header
	}
	return v, nil
}

// Verify authenticates r. now is injected so tests never sleep. It returns nil
// or an *Error whose Reason may be shown to the sender.
func (v *Verifier) Verify(r Request, now time.Time) error {
	_, err := v.b.authenticate(v.input(r, now))
	return err
}

// Handshake recognises a provider handshake request and returns the answer
// the provider expects (ok=false when r is not a handshake). It verifies what
// the provider signs first; a handshake that fails its check returns ok=true
// with err set, and the caller answers 401 (403 for ErrInvalidVerifyToken).
func (v *Verifier) Handshake(r Request, now time.Time) (resp *HandshakeResponse, ok bool, err error) {
	if v.b.handshake == nil {
		return nil, false, nil
	}
	return v.b.handshake(v.b, v.input(r, now))
}

// DeliveryID returns the provider-native delivery or event id of r, used for
// provider-native deduplication, or "" when the scheme has none or r lacks
// it. Call it after Verify: only then is the id the provider's.
func (v *Verifier) DeliveryID(r Request) string { return v.b.id.lookup(r) }

// SignatureHeader is the header Config.HMAC names for the signature, or ""
// when there is none: a name a log's redaction cannot know by itself.
func (v *Verifier) SignatureHeader() string { return v.sigHeader }

// input is r with the settings that apply at now: the expiring secrets
// still within their deadline join the others.
func (v *Verifier) input(r Request, now time.Time) input {
	in := input{secrets: v.secrets, verifyToken: v.verifyToken, req: r, now: now, tolerance: v.tolerance}
	for _, e := range v.expiring {
		if now.Before(e.Until) {
			// Clipped: appending must never write into v.secrets, which
			// concurrent requests share.
			in.secrets = append(slices.Clip(in.secrets), e.Secret)
		}
	}
	return in
}
