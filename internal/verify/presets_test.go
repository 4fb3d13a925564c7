package verify

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func timeOf(unix int64) time.Time { return time.Unix(unix, 0) }

func TestPresetRegistry(t *testing.T) {
	t.Parallel()
	all := Presets()
	if len(all) < 30 {
		t.Fatalf("%d presets, want at least 30", len(all))
	}
	if !slices.IsSortedFunc(all, func(a, b PresetInfo) int { return strings.Compare(a.Key, b.Key) }) {
		t.Error("Presets is not ordered by key")
	}
	for i, p := range all {
		if i > 0 && all[i-1].Key == p.Key {
			t.Errorf("duplicate key %q", p.Key)
		}
		if p.Key != strings.ToLower(p.Key) || p.Name == "" || p.SecretLabel == "" || p.Family == "" {
			t.Errorf("incomplete row %+v", p)
		}
		got, ok := LookupPreset(p.Key)
		if !ok || got.Key != p.Key {
			t.Errorf("LookupPreset(%q) = %v, %v", p.Key, got.Key, ok)
		}
		if p.HMAC != nil {
			cfg := Config{Mode: GenericHMAC, HMAC: p.HMAC, Secrets: []string{"x"}}
			if err := ValidateConfig(cfg); err != nil {
				t.Errorf("%s: prefilled HMAC params do not validate: %v", p.Key, err)
			}
		}
	}
	if _, ok := LookupPreset("nope"); ok {
		t.Error("LookupPreset found an unknown key")
	}
}

// TestNativeModesArePresets: each native mode is listed as a preset of that
// mode, and PRESET with its key behaves like the mode.
func TestNativeModesArePresets(t *testing.T) {
	t.Parallel()
	for _, m := range []Mode{Stripe, Slack, Svix, Paddle, Revolut} {
		p, ok := LookupPreset(strings.ToLower(string(m)))
		if !ok || p.Mode != m {
			t.Errorf("%s: preset %+v, %v", m, p, ok)
		}
	}
	v := loadVectors(t)[slices.IndexFunc(loadVectors(t), func(v vector) bool { return v.Name == "stripe/sdk" })]
	v.Mode, v.Preset = Preset, "stripe"
	expect(t, "stripe as preset", mustNew(t, v.config(v.Secret)).Verify(v.request(), v.now()), nil)
}

func TestPresetHMACParams(t *testing.T) {
	t.Parallel()
	want := map[string]*HMACParams{
		"github":  {Header: "X-Hub-Signature-256", Algorithm: "SHA256", Encoding: "HEX", Prefix: "sha256=", SignedPayload: "{body}"},
		"shopify": {Header: "X-Shopify-Hmac-Sha256", Algorithm: "SHA256", Encoding: "BASE64", SignedPayload: "{body}"},
		"slack":   {Header: "X-Slack-Signature", Algorithm: "SHA256", Encoding: "HEX", Prefix: "v0=", TimestampHeader: "X-Slack-Request-Timestamp", SignedPayload: "v0:{timestamp}:{body}"},
		"square":  {Header: "x-square-hmacsha256-signature", Algorithm: "SHA256", Encoding: "BASE64", SignedPayload: "{url}{body}"},
		"stripe":  nil, // the timestamp is inside the signature header
		"svix":    nil, // a signature list and a decoded key
		"twitch":  nil, // RFC 3339 timestamp
		"discord": nil, // not an HMAC
	}
	for key, w := range want {
		p, _ := LookupPreset(key)
		if (p.HMAC == nil) != (w == nil) || w != nil && *p.HMAC != *w {
			t.Errorf("%s: HMAC %+v, want %+v", key, p.HMAC, w)
		}
	}
}
