package verify

import (
	"crypto/hmac"
	"crypto/sha256"
	"io"
	"net/url"
)

// mailgunAuth is Mailgun (providers.md F6): the signature travels in the
// body, as "signature":{"timestamp","token","signature"} in JSON or as the
// form fields of legacy posts, and is hex HMAC-SHA256 of timestamp+token with
// the HTTP webhook signing key. Mailgun does not sign the event itself, so
// what this proves is that Mailgun minted the token; the token doubles as the
// delivery id so a replayed token is caught by deduplication.
type mailgunAuth struct{}

var _ authenticator = mailgunAuth{}

type mailgunSignature struct{ timestamp, token, signature string }

func (mailgunAuth) authenticate(in input) (int, error) {
	s := mailgunFields(in.req.Body)
	if s.signature == "" {
		return -1, ErrMissingSignature
	}
	if s.timestamp == "" {
		return -1, ErrMissingTimestamp
	}
	sig, ok := encHex.decode(s.signature)
	if !ok {
		return -1, ErrInvalidSignature
	}
	for i, secret := range in.secrets {
		mac := hmac.New(sha256.New, []byte(secret))
		io.WriteString(mac, s.timestamp+s.token)
		if hmac.Equal(mac.Sum(nil), sig) {
			if err := (tsSource{unit: unitSeconds}).check(s.timestamp, in.now, in.tolerance); err != nil {
				return -1, err
			}
			return i, nil
		}
	}
	return -1, ErrInvalidSignature
}

func (mailgunAuth) checkSecret(string) error { return nil }

func mailgunFields(body []byte) mailgunSignature {
	if m, ok := jsonObject(body); ok {
		var s mailgunSignature
		s.timestamp, _ = pathValue(m, "signature.timestamp")
		s.token, _ = pathValue(m, "signature.token")
		s.signature, _ = pathValue(m, "signature.signature")
		return s
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return mailgunSignature{}
	}
	return mailgunSignature{form.Get("timestamp"), form.Get("token"), form.Get("signature")}
}
