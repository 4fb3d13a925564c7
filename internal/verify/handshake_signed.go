package verify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
)

// The handshakes below are signed like any other request: each is answered
// only once the request authenticates (providers.md §10).

func jsonResponse(v any) *HandshakeResponse {
	body, _ := json.Marshal(v) // plain structs of strings and ints
	return &HandshakeResponse{Status: http.StatusOK, ContentType: "application/json", Body: body}
}

// slackHandshake answers Events API url_verification with {"challenge"}.
func slackHandshake(b binding, in input) (*HandshakeResponse, bool, error) {
	m, ok := jsonObject(in.req.Body)
	if !ok || m["type"] != "url_verification" {
		return nil, false, nil
	}
	if _, err := b.authenticate(in); err != nil {
		return nil, true, err
	}
	challenge, _ := pathValue(m, "challenge")
	return jsonResponse(struct {
		Challenge string `json:"challenge"`
	}{challenge}), true, nil
}

// discordHandshake answers the interactions PING ({"type":1}) with a PONG.
// Discord probes with bad signatures, so a failed check must reach a 401.
func discordHandshake(b binding, in input) (*HandshakeResponse, bool, error) {
	m, ok := jsonObject(in.req.Body)
	if t, _ := pathValue(m, "type"); !ok || t != "1" {
		return nil, false, nil
	}
	if _, err := b.authenticate(in); err != nil {
		return nil, true, err
	}
	return jsonResponse(struct {
		Type int `json:"type"`
	}{1}), true, nil
}

// twitchHandshake answers EventSub webhook_callback_verification with the
// bare challenge as text/plain.
func twitchHandshake(b binding, in input) (*HandshakeResponse, bool, error) {
	if headerValue(in.req.Header, "Twitch-Eventsub-Message-Type") != "webhook_callback_verification" {
		return nil, false, nil
	}
	if _, err := b.authenticate(in); err != nil {
		return nil, true, err
	}
	challenge, ok := jsonField(in.req.Body, "challenge")
	if !ok {
		return nil, true, ErrMalformedHandshake
	}
	return textResponse(challenge), true, nil
}

// zoomHandshake answers endpoint.url_validation with the plain token and its
// hex HMAC-SHA256 under the secret that authenticated the request.
func zoomHandshake(b binding, in input) (*HandshakeResponse, bool, error) {
	m, ok := jsonObject(in.req.Body)
	if !ok || m["event"] != "endpoint.url_validation" {
		return nil, false, nil
	}
	i, err := b.authenticate(in)
	if err != nil {
		return nil, true, err
	}
	plain, _ := pathValue(m, "payload.plainToken")
	if plain == "" {
		return nil, true, ErrMalformedHandshake
	}
	mac := hmac.New(sha256.New, []byte(in.secrets[i]))
	io.WriteString(mac, plain)
	return jsonResponse(struct {
		PlainToken     string `json:"plainToken"`
		EncryptedToken string `json:"encryptedToken"`
	}{plain, hex.EncodeToString(mac.Sum(nil))}), true, nil
}
