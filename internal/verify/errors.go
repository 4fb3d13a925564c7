package verify

import (
	"errors"
	"fmt"
)

// Error is why a request was not authenticated. Reason is short text shown to
// the sender and stored in the log; Code is its snake_case form for JSON
// bodies. Neither ever carries a secret or an expected signature.
type Error struct {
	Code, Reason string
}

func (e *Error) Error() string { return e.Reason }

// Is makes errors.Is match on the code, so a copy matches its sentinel.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// Authentication failures returned by Verify and Handshake.
var (
	ErrMissingSignature          = &Error{"missing_signature", "missing signature"}
	ErrInvalidSignature          = &Error{"invalid_signature", "invalid signature"}
	ErrMalformedSignature        = &Error{"malformed_signature_header", "malformed signature header"}
	ErrMissingTimestamp          = &Error{"missing_timestamp", "missing timestamp"}
	ErrMalformedTimestamp        = &Error{"malformed_timestamp", "malformed timestamp"}
	ErrTimestampOutsideTolerance = &Error{"timestamp_outside_tolerance", "timestamp outside tolerance"}
	ErrMissingID                 = &Error{"missing_message_id", "missing message id"}
	ErrInvalidVerifyToken        = &Error{"invalid_verify_token", "invalid verify token"}
	ErrMalformedHandshake        = &Error{"malformed_handshake", "malformed handshake"}
	// ErrMisconfigured means the webhook's own settings cannot authenticate
	// anything (no secret, unknown preset); the sender is not at fault.
	ErrMisconfigured = &Error{"auth_misconfigured", "authentication is misconfigured"}
)

// Configuration errors returned by ValidateConfig, wrapped with detail.
var (
	ErrUnknownMode       = errors.New("unknown auth mode")
	ErrMissingPreset     = errors.New("a preset key is required")
	ErrUnknownPreset     = errors.New("unknown preset")
	ErrMissingSecret     = errors.New("a secret is required for this auth mode")
	ErrInvalidSecret     = errors.New("invalid secret")
	ErrInvalidHMAC       = errors.New("invalid hmac params")
	ErrInvalidTemplate   = errors.New("invalid signed payload template")
	ErrNegativeTolerance = errors.New("tolerance must not be negative")
)

func unknownModeError(m Mode) error { return fmt.Errorf("%w %q", ErrUnknownMode, m) }

func unknownPresetError(key string) error { return fmt.Errorf("%w %q", ErrUnknownPreset, key) }
