package webhooks

import (
	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/internal/apperr"
)

// MaxConcurrencyLimit is the most attempts one webhook may have in flight:
// the dispatcher's workers (outbound.Config.Workers' default).
const MaxConcurrencyLimit = 256

// maxRateLimit bounds rateLimitPerSecond: past it a limit limits nothing
// the dispatcher could reach.
const maxRateLimit = 100_000

// applyLimits validates and writes the fair-share settings that are set.
func (s *Service) applyLimits(m *ent.WebhookMutation, l Limits) error {
	if n := l.MaxConcurrency; n != nil {
		if *n < 1 || *n > MaxConcurrencyLimit {
			return apperr.Invalid("maxConcurrency must be between 1 and %d", MaxConcurrencyLimit)
		}
		m.SetMaxConcurrency(*n)
	}
	if r := l.RateLimitPerSecond; r != nil {
		switch {
		case *r == 0:
			m.ClearRateLimitPerSecond()
			m.ClearRateNextAt()
		case *r < 0 || *r > maxRateLimit:
			return apperr.Invalid("rateLimitPerSecond must be between 1 and %d (0 removes the limit)", maxRateLimit)
		default:
			m.SetRateLimitPerSecond(*r)
		}
	}
	if l.Ordered != nil {
		m.SetOrdered(*l.Ordered)
	}
	return nil
}
