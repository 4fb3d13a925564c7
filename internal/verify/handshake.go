package verify

import (
	"net/http"
	"net/url"
	"regexp"
)

// HandshakeResponse is the answer a provider expects to its handshake.
type HandshakeResponse struct {
	Status      int
	ContentType string
	Body        []byte
}

// handshakeFunc recognises one provider's handshake (ok=false when r is not
// one) and answers it after checking whatever the provider signs.
type handshakeFunc func(b binding, in input) (resp *HandshakeResponse, ok bool, err error)

func textResponse(body string) *HandshakeResponse {
	return &HandshakeResponse{Status: http.StatusOK, ContentType: "text/plain; charset=utf-8", Body: []byte(body)}
}

// metaHandshake answers Meta's (WhatsApp, Messenger, Instagram) subscription
// check: a GET with hub.mode=subscribe whose hub.verify_token must equal the
// configured verify token (the secrets when none is set); the answer is the
// bare hub.challenge. Meta does not sign it.
func metaHandshake(_ binding, in input) (*HandshakeResponse, bool, error) {
	if in.req.Method != http.MethodGet {
		return nil, false, nil
	}
	u, err := url.Parse(in.req.URL)
	if err != nil {
		return nil, false, nil
	}
	q := u.Query()
	if q.Get("hub.mode") != "subscribe" {
		return nil, false, nil
	}
	tokens := in.secrets
	if in.verifyToken != "" {
		tokens = []string{in.verifyToken}
	}
	if len(tokens) == 0 {
		return nil, true, ErrMisconfigured
	}
	got, match := q.Get("hub.verify_token"), false
	for _, t := range tokens {
		if equalSecret(got, t) {
			match = true
		}
	}
	if got == "" || !match {
		return nil, true, ErrInvalidVerifyToken
	}
	return textResponse(q.Get("hub.challenge")), true, nil
}

var wooPing = regexp.MustCompile(`^webhook_id=[0-9]+$`)

// wooHandshake answers the unsigned ping WooCommerce posts when a webhook is
// created (form body "webhook_id=<id>"); WooCommerce activates the webhook
// only on exactly 200. Nothing in it is an event, so the caller runs nothing.
func wooHandshake(_ binding, in input) (*HandshakeResponse, bool, error) {
	if in.req.Method != http.MethodPost || headerValue(in.req.Header, "X-WC-Webhook-Signature") != "" {
		return nil, false, nil
	}
	if !wooPing.Match(in.req.Body) {
		return nil, false, nil
	}
	return textResponse(""), true, nil
}
