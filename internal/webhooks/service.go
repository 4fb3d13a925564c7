package webhooks

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/apperr"
	"github.com/wexio/webhooks/internal/secretbox"
)

// Config is what the service needs from the process configuration.
type Config struct {
	PublicURL            string // base of inbound URLs, no trailing slash
	MaxRetries           int    // default outbound maxRetries
	TimeoutSeconds       int    // default outbound timeoutSeconds
	AllowPrivateNetworks bool   // accept outbound URLs on private addresses
}

// Service manages webhooks. Every method takes the ent client to use, so a
// GraphQL mutation passes its transaction's client (ent.FromContext).
type Service struct {
	cfg Config
	box *secretbox.Box
	now func() time.Time
}

// NewService returns a Service.
func NewService(cfg Config, box *secretbox.Box, now func() time.Time) *Service {
	cfg.PublicURL = strings.TrimRight(cfg.PublicURL, "/")
	return &Service{cfg: cfg, box: box, now: now}
}

// InboundURL is the URL a sender posts to.
func (s *Service) InboundURL(w *ent.Webhook) string {
	if w.Token == nil {
		return ""
	}
	return s.cfg.PublicURL + "/in/" + *w.Token
}

// Secrets returns the plaintext secrets valid now: the current one, then the
// previous one while its rotation grace period lasts.
func (s *Service) Secrets(w *ent.Webhook) ([]string, error) {
	var out []string
	cur, ok, err := s.currentSecret(w)
	if err != nil {
		return nil, err
	}
	if ok {
		out = append(out, cur)
	}
	prev, _, ok, err := s.previousSecret(w)
	if err != nil {
		return nil, err
	}
	if ok {
		out = append(out, prev)
	}
	return out, nil
}

// currentSecret opens w's secret; ok is false when it has none.
func (s *Service) currentSecret(w *ent.Webhook) (secret string, ok bool, err error) {
	if len(w.Secret) == 0 {
		return "", false, nil
	}
	cur, err := s.box.Open(w.Secret, string(w.ID))
	if err != nil {
		return "", false, fmt.Errorf("opening secret of %s: %w", w.ID, err)
	}
	return cur, true, nil
}

// previousSecret opens the secret a rotation replaced, with the end of its
// grace period; ok is false when there is none or its grace is over now.
func (s *Service) previousSecret(w *ent.Webhook) (secret string, until time.Time, ok bool, err error) {
	if w.PreviousSecret == nil || w.PreviousSecretExpiresAt == nil || !s.now().Before(*w.PreviousSecretExpiresAt) {
		return "", time.Time{}, false, nil
	}
	prev, err := s.box.Open(*w.PreviousSecret, string(w.ID))
	if err != nil {
		return "", time.Time{}, false, fmt.Errorf("opening previous secret of %s: %w", w.ID, err)
	}
	return prev, *w.PreviousSecretExpiresAt, true, nil
}

// get loads a webhook the caller can see, or NOT_FOUND.
func get(ctx context.Context, c *ent.Client, id pulid.ID) (*ent.Webhook, error) {
	w, err := c.Webhook.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, apperr.NotFound("webhook " + string(id))
	}
	if err != nil {
		return nil, fmt.Errorf("loading webhook: %w", err)
	}
	return w, nil
}

// hint is the last four characters of a secret, the only part ever shown.
func hint(secret string) string {
	r := []rune(secret)
	if len(r) <= 4 {
		return strings.Repeat("•", len(r))
	}
	return string(r[len(r)-4:])
}

// randomToken returns n random bytes, URL-safe base64.
func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand does not fail
	return base64.RawURLEncoding.EncodeToString(b)
}

// validateName checks a webhook name.
func validateName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", apperr.Invalid("name must not be empty")
	}
	if len(name) > 200 {
		return "", apperr.Invalid("name must be at most 200 characters")
	}
	return name, nil
}

// inDirection refuses an operation meant for the other direction.
func inDirection(w *ent.Webhook, d schematype.Direction, what string) error {
	if w.Direction != d {
		return apperr.Invalid("%s applies to %s webhooks only", what, strings.ToLower(string(d)))
	}
	return nil
}
