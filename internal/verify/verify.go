package verify

import (
	"net/http"
	"strings"
	"time"
)

// Mode names how an inbound webhook is authenticated (InboundAuthMode in the
// GraphQL contract).
type Mode string

// Authentication modes.
const (
	SharedSecret Mode = "SHARED_SECRET"
	Stripe       Mode = "STRIPE"
	Slack        Mode = "SLACK"
	Svix         Mode = "SVIX"
	Paddle       Mode = "PADDLE"
	Revolut      Mode = "REVOLUT"
	GenericHMAC  Mode = "GENERIC_HMAC"
	Preset       Mode = "PRESET"
)

// Request is what the sender sent. URL is the full URL as the provider saw it
// (public base URL + path + query), needed by URL-bound schemes (Twilio,
// Square, HubSpot): proxies change scheme, host and port, so it cannot be
// rebuilt from the request that reached us.
type Request struct {
	Method string
	URL    string
	Header http.Header // canonical keys, as net/http builds them
	Body   []byte      // raw bytes exactly as received
}

// HMACParams describes a GENERIC_HMAC scheme, and the HMAC presets' values.
type HMACParams struct {
	Header          string // e.g. "X-Signature"
	Algorithm       string // "SHA1" | "SHA256" | "SHA512"
	Encoding        string // "HEX" | "BASE64"
	Prefix          string // e.g. "sha256="; optional on the wire
	TimestampHeader string // optional; unix seconds (13 digits or more read as milliseconds)
	// SignedPayload is a template of literals and {body} {timestamp} {id}
	// {method} {url}, e.g. "{body}" or "{timestamp}.{body}".
	SignedPayload string
	// IDHeader names the header that fills {id} and gives the delivery id;
	// "webhook-id" when empty.
	IDHeader string
}

// Config is an inbound webhook's authentication settings.
type Config struct {
	Mode    Mode
	Preset  string // preset key when Mode == Preset
	Secrets []string
	// VerifyToken answers GET handshakes (Meta hub.verify_token); the secrets
	// are tried when it is empty.
	VerifyToken string
	HMAC        *HMACParams // GENERIC_HMAC
	// Tolerance is the replay window for timestamped schemes, applied in both
	// directions; 0 turns the timestamp check off.
	Tolerance time.Duration
	// Expiring are secrets tried after Secrets only until their deadline: a
	// secret a rotation replaced, during its grace period. The deadline is
	// checked against each request's time, so a Verifier kept for a while
	// stops accepting the secret when its grace ends.
	Expiring []ExpiringSecret
}

// ExpiringSecret is a secret accepted while a request's time is before Until.
type ExpiringSecret struct {
	Secret string
	Until  time.Time
}

// input is one request to authenticate, with the settings that apply to it.
type input struct {
	secrets     []string // non-empty ones only, current first
	verifyToken string
	req         Request
	now         time.Time
	tolerance   time.Duration
}

// authenticator is one scheme family's check.
type authenticator interface {
	// authenticate returns the index in in.secrets of the secret that matched.
	authenticate(in input) (int, error)
	// checkSecret reports, in words fit for a user, whether secret has the
	// shape the scheme needs. It never quotes the secret.
	checkSecret(secret string) error
}

// binding is what a Config resolves to: the check, and the provider-specific
// extras around it.
type binding struct {
	auth      authenticator
	id        idSource
	handshake handshakeFunc
}

func (b binding) authenticate(in input) (int, error) {
	if len(in.secrets) == 0 {
		return -1, ErrMisconfigured
	}
	return b.auth.authenticate(in)
}

func resolve(cfg Config) (binding, error) {
	switch cfg.Mode {
	case SharedSecret:
		return binding{auth: sharedSecretAuth}, nil
	case Stripe, Slack, Svix, Paddle, Revolut:
		// Each native mode is also the preset of its own name.
		if p, ok := lookup(strings.ToLower(string(cfg.Mode))); ok {
			return p.binding(), nil
		}
	case GenericHMAC:
		s, err := genericScheme(cfg.HMAC)
		if err != nil {
			return binding{}, err
		}
		return binding{auth: s, id: idSource{headers: s.id}}, nil
	case Preset:
		if cfg.Preset == "" {
			return binding{}, ErrMissingPreset
		}
		p, ok := lookup(cfg.Preset)
		if !ok {
			return binding{}, unknownPresetError(cfg.Preset)
		}
		return p.binding(), nil
	}
	return binding{}, unknownModeError(cfg.Mode)
}
