package signing_test

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/wexio/webhooks/internal/signing"
)

// TestCheckSecret holds CheckSecret to the spec's sizes, the required
// prefix, and the problem texts the API shows after the field's name.
func TestCheckSecret(t *testing.T) {
	t.Parallel()
	b64 := func(n int) string { return base64.StdEncoding.EncodeToString(make([]byte, n)) }
	raw := func(n int) string { return base64.RawStdEncoding.EncodeToString(make([]byte, n)) }
	const (
		noPrefix = `must start with "whsec_"`
		notB64   = "must be whsec_ followed by base64"
		size     = "must encode 24 to 64 bytes"
	)
	tests := []struct {
		secret  string
		problem string // "" = accepted
	}{
		{specSecret, ""}, // 24 bytes
		{"whsec_" + b64(32), ""},
		{"whsec_" + raw(32), ""},
		{"whsec_" + b64(64), ""},
		{"whsec_" + raw(25), ""},
		{b64(32), noPrefix}, // Sign takes it; a saved secret needs the prefix
		{"", noPrefix},
		{"WHSEC_" + b64(32), noPrefix},
		{"whsec_%%%", notB64},
		{"whsec_not base64!", notB64},
		{"whsec_", size},
		{"whsec_" + b64(23), size},
		{"whsec_" + b64(65), size},
	}
	for _, tt := range tests {
		err := signing.CheckSecret(tt.secret)
		if tt.problem == "" {
			if err != nil {
				t.Errorf("CheckSecret(%q) = %v, want nil", tt.secret, err)
			}
			continue
		}
		var se *signing.SecretError
		if !errors.Is(err, signing.ErrInvalidSecret) || !errors.As(err, &se) || err.Error() != tt.problem {
			t.Errorf("CheckSecret(%q) = %v, want the *SecretError %q", tt.secret, err, tt.problem)
		}
		if enc := strings.TrimPrefix(tt.secret, signing.SecretPrefix); err != nil && len(enc) > 8 && strings.Contains(err.Error(), enc) {
			t.Errorf("CheckSecret(%q) error %q echoes the secret", tt.secret, err)
		}
	}
}
