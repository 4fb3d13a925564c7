package outbound

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"
)

// The Standard Webhooks / Svix test vector (providers.md §4).
const (
	vecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	vecID     = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	vecBody   = `{"test": 2432232314}`
	vecSig    = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
)

var vecTS = time.Unix(1614265330, 0)

func TestSignVector(t *testing.T) {
	t.Parallel()
	bare := strings.TrimPrefix(vecSecret, SecretPrefix)
	other, err := NewSecret()
	if err != nil {
		t.Fatalf("NewSecret: %v", err)
	}
	otherSig, err := Sign([]string{other}, vecID, vecTS, []byte(vecBody))
	if err != nil {
		t.Fatalf("Sign(other): %v", err)
	}
	tests := []struct {
		name    string
		secrets []string
		ts      time.Time
		want    string
	}{
		{"vector", []string{vecSecret}, vecTS, vecSig},
		{"prefix optional", []string{bare}, vecTS, vecSig},
		{"sub-second ignored", []string{vecSecret}, vecTS.Add(999 * time.Millisecond), vecSig},
		{"zone ignored", []string{vecSecret}, vecTS.In(time.FixedZone("X", 7200)), vecSig},
		{"rotation: current first", []string{other, vecSecret}, vecTS, otherSig + " " + vecSig},
		{"rotation: order kept", []string{vecSecret, other}, vecTS, vecSig + " " + otherSig},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Sign(tt.secrets, vecID, tt.ts, []byte(vecBody))
			if err != nil {
				t.Fatalf("Sign: %v", err)
			}
			if got != tt.want {
				t.Fatalf("Sign = %q, want %q", got, tt.want)
			}
		})
	}
	if otherSig == vecSig || !strings.HasPrefix(otherSig, "v1,") {
		t.Fatalf("other secret signature %q", otherSig)
	}
}

func TestSignTamper(t *testing.T) {
	t.Parallel()
	for name, sign := range map[string]func() (string, error){
		"body": func() (string, error) { return Sign([]string{vecSecret}, vecID, vecTS, []byte(`{"test": 2432232315}`)) },
		"id":   func() (string, error) { return Sign([]string{vecSecret}, vecID+"x", vecTS, []byte(vecBody)) },
		"ts": func() (string, error) {
			return Sign([]string{vecSecret}, vecID, vecTS.Add(time.Second), []byte(vecBody))
		},
	} {
		if got, err := sign(); err != nil || got == vecSig {
			t.Errorf("changed %s: Sign = %q, %v; want a different signature", name, got, err)
		}
	}
}

func TestSignErrors(t *testing.T) {
	t.Parallel()
	if _, err := Sign(nil, vecID, vecTS, nil); !errors.Is(err, ErrNoSecret) {
		t.Fatalf("Sign(nil) = %v", err)
	}
	for _, bad := range []string{"whsec_", "whsec_not base64!", "whsec_@@@@"} {
		_, err := Sign([]string{vecSecret, bad}, vecID, vecTS, nil)
		if !errors.Is(err, ErrInvalidSecret) || !strings.Contains(err.Error(), "secret 2 of 2") {
			t.Errorf("Sign(%q) = %v", bad, err)
		}
		if err != nil && strings.Contains(err.Error(), strings.TrimPrefix(bad, SecretPrefix)) && bad != "whsec_" {
			t.Errorf("Sign(%q) error %q echoes the secret", bad, err)
		}
	}
}

func TestNewSecret(t *testing.T) {
	t.Parallel()
	a, err := NewSecret()
	if err != nil {
		t.Fatalf("NewSecret: %v", err)
	}
	b, _ := NewSecret()
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(a, SecretPrefix))
	if !strings.HasPrefix(a, SecretPrefix) || err != nil || len(key) != 32 || a == b {
		t.Fatalf("NewSecret = %q, %q (decoded %d bytes, %v)", a, b, len(key), err)
	}
	if err := CheckSecret(a); err != nil {
		t.Fatalf("CheckSecret(NewSecret()) = %v", err)
	}
}

func TestCheckSecret(t *testing.T) {
	t.Parallel()
	b64 := func(n int) string { return base64.StdEncoding.EncodeToString(make([]byte, n)) }
	raw := func(n int) string { return base64.RawStdEncoding.EncodeToString(make([]byte, n)) }
	tests := []struct {
		secret string
		ok     bool
	}{
		{vecSecret, true}, // 24 bytes
		{"whsec_" + b64(32), true},
		{b64(32), true},
		{"whsec_" + raw(32), true},
		{"whsec_" + b64(64), true},
		{"whsec_" + b64(23), false},
		{"whsec_" + b64(65), false},
		{"whsec_", false},
		{"", false},
		{"whsec_%%%", false},
	}
	for _, tt := range tests {
		err := CheckSecret(tt.secret)
		if tt.ok != (err == nil) || err != nil && !errors.Is(err, ErrInvalidSecret) {
			t.Errorf("CheckSecret(%q) = %v, want ok %v", tt.secret, err, tt.ok)
		}
	}
}
