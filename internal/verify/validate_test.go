package verify

import (
	"errors"
	"strings"
	"testing"
)

func TestValidateConfig(t *testing.T) {
	t.Parallel()
	hmacOK := func(mod func(*HMACParams)) *HMACParams {
		p := &HMACParams{Header: "X-Signature", Algorithm: "SHA256", Encoding: "HEX", SignedPayload: "{timestamp}.{body}", TimestampHeader: "X-Ts"}
		if mod != nil {
			mod(p)
		}
		return p
	}
	discordKey := "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
	cases := []struct {
		name string
		cfg  Config
		want error
	}{
		{"shared secret without secret (generated)", Config{Mode: SharedSecret}, nil},
		{"shared secret", Config{Mode: SharedSecret, Secrets: []string{"x"}}, nil},
		{"unknown mode", Config{Mode: "MD5", Secrets: []string{"x"}}, ErrUnknownMode},
		{"empty mode", Config{Secrets: []string{"x"}}, ErrUnknownMode},
		{"preset without key", Config{Mode: Preset, Secrets: []string{"x"}}, ErrMissingPreset},
		{"unknown preset", Config{Mode: Preset, Preset: "nope", Secrets: []string{"x"}}, ErrUnknownPreset},
		{"preset key case", Config{Mode: Preset, Preset: "GitHub", Secrets: []string{"x"}}, nil},
		{"stripe without secret", Config{Mode: Stripe}, ErrMissingSecret},
		{"stripe with empty secrets", Config{Mode: Stripe, Secrets: []string{""}}, ErrMissingSecret},
		{"negative tolerance", Config{Mode: Stripe, Secrets: []string{"x"}, Tolerance: -1}, ErrNegativeTolerance},
		{"svix bad key", Config{Mode: Svix, Secrets: []string{"whsec_not base64!"}}, ErrInvalidSecret},
		{"svix previous key bad", Config{Mode: Svix, Secrets: []string{"whsec_AQID", "whsec_%%"}}, ErrInvalidSecret},
		{"svix expiring key bad", Config{Mode: Svix, Secrets: []string{"whsec_AQID"}, Expiring: []ExpiringSecret{{Secret: "whsec_%%"}}}, ErrInvalidSecret},
		{"svix key without prefix", Config{Mode: Svix, Secrets: []string{"AQIDBA"}}, nil},
		{"discord key", Config{Mode: Preset, Preset: "discord", Secrets: []string{discordKey}}, nil},
		{"discord short key", Config{Mode: Preset, Preset: "discord", Secrets: []string{discordKey[:62]}}, ErrInvalidSecret},
		{"discord non-hex key", Config{Mode: Preset, Preset: "discord", Secrets: []string{"z" + discordKey[1:]}}, ErrInvalidSecret},
		{"sendgrid bad key", Config{Mode: Preset, Preset: "sendgrid", Secrets: []string{"MFkwQQ=="}}, ErrInvalidSecret},
		{"basic without colon", Config{Mode: Preset, Preset: "chargebee", Secrets: []string{"userpass"}}, ErrInvalidSecret},
		{"basic without user", Config{Mode: Preset, Preset: "chargebee", Secrets: []string{":s3cr3t"}}, ErrInvalidSecret},
		{"basic", Config{Mode: Preset, Preset: "postmark", Secrets: []string{"user:pa:ss"}}, nil},
		{"generic ok", Config{Mode: GenericHMAC, HMAC: hmacOK(nil), Secrets: []string{"x"}}, nil},
		{"generic lower-case enums", Config{Mode: GenericHMAC, HMAC: hmacOK(func(p *HMACParams) { p.Algorithm, p.Encoding = "sha1", "base64" }), Secrets: []string{"x"}}, nil},
		{"generic nil params", Config{Mode: GenericHMAC, Secrets: []string{"x"}}, ErrInvalidHMAC},
		{"generic algorithm", Config{Mode: GenericHMAC, HMAC: hmacOK(func(p *HMACParams) { p.Algorithm = "MD5" }), Secrets: []string{"x"}}, ErrInvalidHMAC},
		{"generic encoding", Config{Mode: GenericHMAC, HMAC: hmacOK(func(p *HMACParams) { p.Encoding = "BASE32" }), Secrets: []string{"x"}}, ErrInvalidHMAC},
		{"generic empty header", Config{Mode: GenericHMAC, HMAC: hmacOK(func(p *HMACParams) { p.Header = "" }), Secrets: []string{"x"}}, ErrInvalidHMAC},
		{"generic header with space", Config{Mode: GenericHMAC, HMAC: hmacOK(func(p *HMACParams) { p.Header = "X Sig" }), Secrets: []string{"x"}}, ErrInvalidHMAC},
		{"generic bad timestamp header", Config{Mode: GenericHMAC, HMAC: hmacOK(func(p *HMACParams) { p.TimestampHeader = "a:b" }), Secrets: []string{"x"}}, ErrInvalidHMAC},
		{"template without body", Config{Mode: GenericHMAC, HMAC: hmacOK(func(p *HMACParams) { p.SignedPayload = "{timestamp}" }), Secrets: []string{"x"}}, ErrInvalidTemplate},
		{"template timestamp without source", Config{Mode: GenericHMAC, HMAC: hmacOK(func(p *HMACParams) { p.TimestampHeader = "" }), Secrets: []string{"x"}}, ErrInvalidTemplate},
		{"template unknown placeholder", Config{Mode: GenericHMAC, HMAC: hmacOK(func(p *HMACParams) { p.SignedPayload = "{ts}.{body}" }), Secrets: []string{"x"}}, ErrInvalidTemplate},
		{"template unbalanced", Config{Mode: GenericHMAC, HMAC: hmacOK(func(p *HMACParams) { p.SignedPayload = "{body" }), Secrets: []string{"x"}}, ErrInvalidTemplate},
		{"template stray brace", Config{Mode: GenericHMAC, HMAC: hmacOK(func(p *HMACParams) { p.SignedPayload = "}{body}" }), Secrets: []string{"x"}}, ErrInvalidTemplate},
		{"generic without secret", Config{Mode: GenericHMAC, HMAC: hmacOK(nil)}, ErrMissingSecret},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			err := ValidateConfig(c.cfg)
			if c.want == nil && err != nil || c.want != nil && !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
			for _, s := range c.cfg.Secrets {
				if err != nil && len(s) > 3 && strings.Contains(err.Error(), s) {
					t.Fatalf("error text %q quotes the secret", err)
				}
			}
		})
	}
}

// TestVerifyMisconfigured: a config ValidateConfig would refuse never
// authenticates anything. One that names no scheme fails New, with an error
// that is ErrMisconfigured as well as its cause; one without a secret
// refuses every request.
func TestVerifyMisconfigured(t *testing.T) {
	t.Parallel()
	r := Request{Method: "POST", Header: map[string][]string{"X-Webhook-Secret": {""}}}
	for _, cfg := range []Config{
		{Mode: SharedSecret},
		{Mode: SharedSecret, Secrets: []string{""}},
		{Mode: SharedSecret, Expiring: []ExpiringSecret{{Until: timeOf(1)}}},
	} {
		expect(t, string(cfg.Mode), mustNew(t, cfg).Verify(r, timeOf(0)), ErrMisconfigured)
	}
	for _, c := range []struct {
		cfg   Config
		cause error
	}{
		{Config{Mode: "NOPE", Secrets: []string{"x"}}, ErrUnknownMode},
		{Config{Mode: Preset, Secrets: []string{"x"}}, ErrMissingPreset},
		{Config{Mode: Preset, Preset: "nope", Secrets: []string{"x"}}, ErrUnknownPreset},
		{Config{Mode: GenericHMAC, Secrets: []string{"x"}}, ErrInvalidHMAC},
	} {
		v, err := New(c.cfg)
		if v != nil || !errors.Is(err, ErrMisconfigured) || !errors.Is(err, c.cause) {
			t.Errorf("New(%s %q) = %v, %v; want ErrMisconfigured and %v", c.cfg.Mode, c.cfg.Preset, v, err, c.cause)
		}
	}
}
