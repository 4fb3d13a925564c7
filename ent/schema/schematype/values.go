package schematype

import "encoding/json"

// HMACParams configures GENERIC_HMAC verification (and the HMAC presets).
// Algorithm is SHA1, SHA256 or SHA512; Encoding is HEX or BASE64.
type HMACParams struct {
	Header          string `json:"header"`
	Algorithm       string `json:"algorithm"`
	Encoding        string `json:"encoding"`
	Prefix          string `json:"prefix,omitempty"`
	TimestampHeader string `json:"timestampHeader,omitempty"`
	SignedPayload   string `json:"signedPayload"`
}

// HTTPMessage is a stored request or response, credentials redacted.
// Body is text; when the bytes received were not valid UTF-8 (or held
// NUL, which the databases keep in no text column) Body shows them with
// U+FFFD in place of the bad bytes and BodyBase64 keeps them byte for byte.
type HTTPMessage struct {
	Method     string            `json:"method,omitempty"`
	URL        string            `json:"url,omitempty"`
	Headers    map[string]string `json:"headers"`
	Body       string            `json:"body,omitempty"`
	BodyBase64 *string           `json:"bodyBase64,omitempty"`
}

// SchemaField is one path of a captured schema.
type SchemaField struct {
	Path    string `json:"path"`
	Type    string `json:"type"`
	Example any    `json:"example,omitempty"`
}

// FlowStep is one card of a flow: its type and its (template) config.
type FlowStep struct {
	Type   FlowStepType   `json:"type"`
	Config map[string]any `json:"config"`
}

// StepResult records what one step of a run did.
type StepResult struct {
	Type   FlowStepType    `json:"type"`
	Status string          `json:"status"`
	Output json.RawMessage `json:"output,omitempty"`
	Error  string          `json:"error,omitempty"`
}

// ContactResolutionResult is how an inbound request was matched to a contact:
// the outcome and the value looked for (none when the path was missing).
type ContactResolutionResult struct {
	Outcome ContactResolutionOutcome `json:"outcome"`
	Value   *string                  `json:"value,omitempty"`
}
