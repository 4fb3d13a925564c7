package verify

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"crypto/x509"
	"fmt"
)

// ecdsaAuth is SendGrid's signed Event Webhook (providers.md §9): the base64
// DER ECDSA P-256 signature of SHA-256(timestamp + raw body); the "secret" is
// the verification key, a base64 DER SubjectPublicKeyInfo.
type ecdsaAuth struct {
	sigHeader, tsHeader string
}

var (
	_            authenticator = ecdsaAuth{}
	sendgridAuth               = ecdsaAuth{
		sigHeader: "X-Twilio-Email-Event-Webhook-Signature",
		tsHeader:  "X-Twilio-Email-Event-Webhook-Timestamp",
	}
)

func (a ecdsaAuth) authenticate(in input) (int, error) {
	sigText := headerValue(in.req.Header, a.sigHeader)
	if sigText == "" {
		return -1, ErrMissingSignature
	}
	ts := headerValue(in.req.Header, a.tsHeader)
	if ts == "" {
		return -1, ErrMissingTimestamp
	}
	sig, ok := decodeBase64(sigText)
	if !ok {
		return -1, ErrInvalidSignature
	}
	h := sha256.New()
	h.Write([]byte(ts))
	h.Write(in.req.Body)
	digest := h.Sum(nil)
	for i, secret := range in.secrets {
		key, ok := ecdsaKey(secret)
		if ok && ecdsa.VerifyASN1(key, digest, sig) {
			if err := (tsSource{unit: unitSeconds}).check(ts, in.now, in.tolerance); err != nil {
				return -1, err
			}
			return i, nil
		}
	}
	return -1, ErrInvalidSignature
}

func (ecdsaAuth) checkSecret(secret string) error {
	if _, ok := ecdsaKey(secret); !ok {
		return fmt.Errorf("%w: the verification key must be a base64 P-256 public key (MFkw...)", ErrInvalidSecret)
	}
	return nil
}

func ecdsaKey(s string) (*ecdsa.PublicKey, bool) {
	der, ok := decodeBase64(s)
	if !ok {
		return nil, false
	}
	pub, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return nil, false
	}
	key, ok := pub.(*ecdsa.PublicKey)
	return key, ok && key.Curve == elliptic.P256()
}
