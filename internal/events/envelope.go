package events

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// Envelope is the JSON body of every outbound delivery:
//
//	{"id":"evt_...","type":"contact.created","timestamp":"2026-11-26T17:00:00Z","data":{...}}
type Envelope struct {
	ID        string          `json:"id"`
	Type      string          `json:"type"`
	Timestamp time.Time       `json:"timestamp"`
	Data      json.RawMessage `json:"data"`
}

// wireEnvelope fixes the timestamp's text: time.Time alone would write the
// zone it was built in and nanoseconds.
type wireEnvelope struct {
	ID        string          `json:"id"`
	Type      string          `json:"type"`
	Timestamp string          `json:"timestamp"`
	Data      json.RawMessage `json:"data"`
}

// Marshal returns the body exactly as sent: compact JSON, timestamp in
// RFC 3339 UTC to the second, HTML characters left unescaped (the bytes are
// signed, so they should read as the data was written). Nil Data is sent as
// {} because receivers expect an object there.
func (e Envelope) Marshal() ([]byte, error) {
	data := e.Data
	if data == nil {
		data = json.RawMessage("{}")
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	err := enc.Encode(wireEnvelope{
		ID:        e.ID,
		Type:      e.Type,
		Timestamp: e.Timestamp.UTC().Truncate(time.Second).Format(time.RFC3339),
		Data:      data,
	})
	if err != nil {
		return nil, fmt.Errorf("encoding event envelope: %w", err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// MarshalJSON gives json.Marshal the same shape as Marshal (json.Marshal
// itself then escapes <, > and &; send the bytes of Marshal).
func (e Envelope) MarshalJSON() ([]byte, error) { return e.Marshal() }
