package inbound

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/payload"
	"github.com/wexio/webhooks/internal/verify"
)

// check runs the contract's checks in its order (section 4) and returns the
// first refusal, a handshake's answer, or nil when the request is accepted
// for processing.
func (h *Handler) check(req *request) (*verdict, error) {
	switch req.hook.Status {
	case schematype.WebhookPaused:
		v := reject(http.StatusServiceUnavailable, "webhook_paused", "webhook is paused")
		v.header = http.Header{"Retry-After": {strconv.Itoa(int(h.cfg.PausedRetryAfter.Seconds()))}}
		return v, nil
	case schematype.WebhookDisabled:
		return reject(http.StatusGone, "webhook_disabled", "webhook is disabled"), nil
	}
	if req.headersTooLarge {
		return reject(http.StatusRequestHeaderFieldsTooLarge, "headers_too_large",
			fmt.Sprintf("request headers exceed %d bytes", MaxHeaderBytes)), nil
	}
	if req.tooLarge {
		return reject(http.StatusRequestEntityTooLarge, "payload_too_large",
			fmt.Sprintf("body exceeds %d bytes", h.cfg.MaxBytes)), nil
	}
	if req.readErr != nil {
		return reject(http.StatusBadRequest, "unreadable_body", "body could not be read"), nil
	}
	if err := h.prepareAuth(req); err != nil {
		return nil, err
	}
	if req.http.Method == http.MethodGet || req.http.Method == http.MethodHead {
		return h.checkHandshakeOnly(req), nil
	}
	if req.http.Method != http.MethodPost {
		v := reject(http.StatusMethodNotAllowed, "method_not_allowed", "use POST")
		v.header = http.Header{"Allow": {"POST"}}
		return v, nil
	}
	ct := req.http.Header.Get("Content-Type")
	if !payload.IsJSON(ct) && !payload.IsForm(ct) {
		return reject(http.StatusUnsupportedMediaType, "unsupported_media_type",
			"content type must be application/json, */*+json or application/x-www-form-urlencoded"), nil
	}
	if v := h.checkHandshake(req); v != nil {
		return v, nil
	}
	if err := req.verify(); err != nil {
		return authFailure(err), nil
	}
	if err := validate(req, ct); err != nil {
		return parseFailure(err), nil
	}
	return nil, nil
}

// validate checks the body is well-formed. When the request's effects will
// read values out of it (contact resolution, a schema capture), it is
// decoded here, once, outside the writer's job; otherwise it is only
// validated, which does not build the document.
func validate(req *request, contentType string) error {
	w := req.hook
	if (w.ContactMatch != nil && w.ContactPath != "") || w.Capturing {
		_, err := req.doc()
		return err
	}
	return payload.Validate(contentType, req.raw)
}

// prepareAuth fails when the webhook's credentials could not be opened
// (nothing the sender can fix: a 500), and builds the request verify reads.
// Settings verify cannot run are not an error here: the request is refused
// as Verify would refuse it (req.verify).
func (h *Handler) prepareAuth(req *request) error {
	if req.authErr != nil && !errors.Is(req.authErr, verify.ErrMisconfigured) {
		return fmt.Errorf("%w: %w", errMisconfigured, req.authErr)
	}
	req.vreq = verify.Request{
		Method: req.http.Method,
		URL:    h.cfg.PublicURL + req.http.URL.RequestURI(),
		Header: req.http.Header,
		Body:   req.raw,
	}
	return nil
}

// verify authenticates the request with the webhook's verifier, or refuses
// it with why there is none (verify.ErrMisconfigured).
func (req *request) verify() error {
	if req.verifier == nil {
		return req.authErr
	}
	return req.verifier.Verify(req.vreq, req.received)
}

// checkHandshakeOnly answers a GET: a provider handshake, or 405.
func (h *Handler) checkHandshakeOnly(req *request) *verdict {
	if v := h.checkHandshake(req); v != nil {
		return v
	}
	v := reject(http.StatusMethodNotAllowed, "method_not_allowed", "GET only answers provider handshakes; send events with POST")
	v.header = http.Header{"Allow": {"POST"}}
	return v
}

// checkHandshake answers a provider's handshake (Slack url_verification,
// Meta hub.challenge, ...) once what the provider signs is verified.
func (h *Handler) checkHandshake(req *request) *verdict {
	if req.verifier == nil {
		return nil // no scheme, no handshake: req.verify refuses the request
	}
	resp, ok, err := req.verifier.Handshake(req.vreq, req.received)
	if !ok {
		return nil
	}
	if err != nil {
		v := authFailure(err)
		if errors.Is(err, verify.ErrInvalidVerifyToken) {
			v.status = http.StatusForbidden
		}
		return v
	}
	return &verdict{
		answer:  answer{status: resp.Status, contentType: resp.ContentType, body: resp.Body},
		outcome: schematype.OutcomeAccepted,
	}
}

func authFailure(err error) *verdict {
	var ve *verify.Error
	if !errors.As(err, &ve) {
		ve = verify.ErrInvalidSignature
	}
	return reject(http.StatusUnauthorized, ve.Code, ve.Reason)
}

func parseFailure(err error) *verdict {
	switch {
	case errors.Is(err, payload.ErrTooDeep):
		return reject(http.StatusBadRequest, "json_too_deep", "JSON nested deeper than 64")
	case errors.Is(err, payload.ErrInvalidForm):
		return reject(http.StatusBadRequest, "invalid_form", "invalid form body")
	default:
		return reject(http.StatusBadRequest, "invalid_json", "body is not valid JSON")
	}
}
