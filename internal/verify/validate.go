package verify

// ValidateConfig checks a config when a webhook is created or updated. Its
// errors wrap this package's sentinels and read well to the user; none quotes
// a secret. SHARED_SECRET is the one mode whose secret may be absent: the
// caller generates it.
func ValidateConfig(cfg Config) error {
	v, err := build(cfg)
	if err != nil {
		return err
	}
	if cfg.Tolerance < 0 {
		return ErrNegativeTolerance
	}
	if len(v.secrets) == 0 && cfg.Mode != SharedSecret {
		return ErrMissingSecret
	}
	for _, s := range v.secrets {
		if err := v.b.auth.checkSecret(s); err != nil {
			return err
		}
	}
	for _, e := range v.expiring {
		if err := v.b.auth.checkSecret(e.Secret); err != nil {
			return err
		}
	}
	return nil
}
