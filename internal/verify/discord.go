package verify

import (
	"crypto/ed25519"
	"encoding/hex"
	"fmt"
)

// ed25519Auth is Discord's scheme (providers.md §9): X-Signature-Ed25519 is
// the hex Ed25519 signature of X-Signature-Timestamp followed by the raw body,
// and the "secret" is the application's public key in hex. Discord documents
// no window; the configured tolerance is applied (unix seconds) like any
// other timestamped scheme.
type ed25519Auth struct {
	sigHeader, tsHeader string
}

var (
	_           authenticator = ed25519Auth{}
	discordAuth               = ed25519Auth{sigHeader: "X-Signature-Ed25519", tsHeader: "X-Signature-Timestamp"}
)

func (a ed25519Auth) authenticate(in input) (int, error) {
	sigHex := headerValue(in.req.Header, a.sigHeader)
	if sigHex == "" {
		return -1, ErrMissingSignature
	}
	ts := headerValue(in.req.Header, a.tsHeader)
	if ts == "" {
		return -1, ErrMissingTimestamp
	}
	sig, err := hex.DecodeString(sigHex)
	if err != nil || len(sig) != ed25519.SignatureSize {
		return -1, ErrInvalidSignature
	}
	msg := append([]byte(ts), in.req.Body...)
	for i, secret := range in.secrets {
		key, ok := ed25519Key(secret)
		if ok && ed25519.Verify(key, msg, sig) {
			if err := (tsSource{unit: unitSeconds}).check(ts, in.now, in.tolerance); err != nil {
				return -1, err
			}
			return i, nil
		}
	}
	return -1, ErrInvalidSignature
}

func (ed25519Auth) checkSecret(secret string) error {
	if _, ok := ed25519Key(secret); !ok {
		return fmt.Errorf("%w: the public key must be 64 hex characters", ErrInvalidSecret)
	}
	return nil
}

func ed25519Key(s string) (ed25519.PublicKey, bool) {
	b, err := hex.DecodeString(s)
	return b, err == nil && len(b) == ed25519.PublicKeySize
}
