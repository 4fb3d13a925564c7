package signing_test

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wexio/webhooks/internal/signing"
)

func TestSignVector(t *testing.T) {
	t.Parallel()
	bare := strings.TrimPrefix(specSecret, signing.SecretPrefix)
	other, err := signing.NewSecret()
	if err != nil {
		t.Fatalf("NewSecret: %v", err)
	}
	otherSig, err := signing.Sign([]string{other}, specMsgID, specTS, []byte(specBody))
	if err != nil {
		t.Fatalf("Sign(other): %v", err)
	}
	tests := []struct {
		name    string
		secrets []string
		ts      time.Time
		want    string
	}{
		{"vector", []string{specSecret}, specTS, specSig},
		{"prefix optional", []string{bare}, specTS, specSig},
		{"sub-second ignored", []string{specSecret}, specTS.Add(999 * time.Millisecond), specSig},
		{"zone ignored", []string{specSecret}, specTS.In(time.FixedZone("X", 7200)), specSig},
		{"rotation: current first", []string{other, specSecret}, specTS, otherSig + " " + specSig},
		{"rotation: order kept", []string{specSecret, other}, specTS, specSig + " " + otherSig},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := signing.Sign(tt.secrets, specMsgID, tt.ts, []byte(specBody))
			if err != nil {
				t.Fatalf("Sign: %v", err)
			}
			if got != tt.want {
				t.Fatalf("Sign = %q, want %q", got, tt.want)
			}
		})
	}
	if otherSig == specSig || !strings.HasPrefix(otherSig, "v1,") {
		t.Fatalf("other secret signature %q", otherSig)
	}
}

func TestSignTamper(t *testing.T) {
	t.Parallel()
	for name, sign := range map[string]func() (string, error){
		"body": func() (string, error) {
			return signing.Sign([]string{specSecret}, specMsgID, specTS, []byte(`{"test": 2432232315}`))
		},
		"id": func() (string, error) {
			return signing.Sign([]string{specSecret}, specMsgID+"x", specTS, []byte(specBody))
		},
		"ts": func() (string, error) {
			return signing.Sign([]string{specSecret}, specMsgID, specTS.Add(time.Second), []byte(specBody))
		},
	} {
		if got, err := sign(); err != nil || got == specSig {
			t.Errorf("changed %s: Sign = %q, %v; want a different signature", name, got, err)
		}
	}
}

func TestSignErrors(t *testing.T) {
	t.Parallel()
	if _, err := signing.Sign(nil, specMsgID, specTS, nil); !errors.Is(err, signing.ErrNoSecret) {
		t.Fatalf("Sign(nil) = %v", err)
	}
	for _, bad := range []string{"whsec_", "whsec_not base64!", "whsec_@@@@"} {
		_, err := signing.Sign([]string{specSecret, bad}, specMsgID, specTS, nil)
		if !errors.Is(err, signing.ErrInvalidSecret) || !strings.Contains(err.Error(), "secret 2 of 2") {
			t.Errorf("Sign(%q) = %v", bad, err)
		}
		if err != nil && strings.Contains(err.Error(), strings.TrimPrefix(bad, signing.SecretPrefix)) && bad != "whsec_" {
			t.Errorf("Sign(%q) error %q echoes the secret", bad, err)
		}
	}
}

func TestNewSecret(t *testing.T) {
	t.Parallel()
	a, err := signing.NewSecret()
	if err != nil {
		t.Fatalf("NewSecret: %v", err)
	}
	b, _ := signing.NewSecret()
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(a, signing.SecretPrefix))
	if !strings.HasPrefix(a, signing.SecretPrefix) || err != nil || len(key) != 32 || a == b {
		t.Fatalf("NewSecret = %q, %q (decoded %d bytes, %v)", a, b, len(key), err)
	}
	if err := signing.CheckSecret(a); err != nil {
		t.Fatalf("CheckSecret(NewSecret()) = %v", err)
	}
}
