package verify

import "time"

// ValidateConfig checks a config when a webhook is created or updated. Its
// errors wrap this package's sentinels and read well to the user; none quotes
// a secret. SHARED_SECRET is the one mode whose secret may be absent: the
// caller generates it.
func ValidateConfig(cfg Config) error {
	b, err := resolve(cfg)
	if err != nil {
		return err
	}
	if cfg.Tolerance < 0 {
		return ErrNegativeTolerance
	}
	in := b.input(cfg, Request{}, time.Time{})
	if len(in.secrets) == 0 && cfg.Mode != SharedSecret {
		return ErrMissingSecret
	}
	for _, s := range in.secrets {
		if err := b.auth.checkSecret(s); err != nil {
			return err
		}
	}
	return nil
}
