package events

import (
	"encoding/json"
	"testing"
	"time"
)

func TestEnvelopeMarshal(t *testing.T) {
	t.Parallel()
	berlin := time.FixedZone("CET", 3600)
	tests := []struct {
		name string
		env  Envelope
		want string
	}{
		{
			name: "contract example",
			env: Envelope{
				ID: "evt_01JDZ4", Type: ContactCreated,
				Timestamp: time.Date(2026, 11, 26, 17, 0, 0, 0, time.UTC),
				Data:      json.RawMessage(`{"id":"ct_1","name":"Ada"}`),
			},
			want: `{"id":"evt_01JDZ4","type":"contact.created","timestamp":"2026-11-26T17:00:00Z","data":{"id":"ct_1","name":"Ada"}}`,
		},
		{
			name: "zone converted, fraction dropped, data compacted, html kept",
			env: Envelope{
				ID: "evt_2", Type: "flow.order.paid",
				Timestamp: time.Date(2026, 11, 26, 18, 0, 5, 999_999_999, berlin),
				Data:      json.RawMessage("{ \"html\": \"<b>&</b>\",\n  \"n\": [1, 2] }"),
			},
			want: `{"id":"evt_2","type":"flow.order.paid","timestamp":"2026-11-26T17:00:05Z","data":{"html":"<b>&</b>","n":[1,2]}}`,
		},
		{
			name: "nil data is an empty object",
			env:  Envelope{ID: "evt_3", Type: WebhookTest, Timestamp: time.Unix(0, 0)},
			want: `{"id":"evt_3","type":"webhook.test","timestamp":"1970-01-01T00:00:00Z","data":{}}`,
		},
		{
			name: "explicit null stays null",
			env:  Envelope{ID: "evt_4", Type: "flow.x", Timestamp: time.Unix(0, 0), Data: json.RawMessage("null")},
			want: `{"id":"evt_4","type":"flow.x","timestamp":"1970-01-01T00:00:00Z","data":null}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.env.Marshal()
			if err != nil {
				t.Fatalf("Marshal: %v", err)
			}
			if string(got) != tt.want {
				t.Fatalf("Marshal =\n%s\nwant\n%s", got, tt.want)
			}
			var back Envelope
			if err := json.Unmarshal(got, &back); err != nil {
				t.Fatalf("Unmarshal: %v", err)
			}
			if !back.Timestamp.Equal(tt.env.Timestamp.Truncate(time.Second)) || back.ID != tt.env.ID {
				t.Fatalf("round trip = %+v", back)
			}
		})
	}
}

func TestEnvelopeMarshalInvalidData(t *testing.T) {
	t.Parallel()
	_, err := Envelope{ID: "evt_1", Data: json.RawMessage(`{"a":`)}.Marshal()
	if err == nil {
		t.Fatal("Marshal accepted invalid JSON data")
	}
}

func TestEnvelopeJSONMarshal(t *testing.T) {
	t.Parallel()
	env := Envelope{ID: "evt_1", Type: ChatOpened, Timestamp: time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC), Data: json.RawMessage(`{}`)}
	got, err := json.Marshal(env)
	if err != nil {
		t.Fatalf("json.Marshal: %v", err)
	}
	want := `{"id":"evt_1","type":"chat.opened","timestamp":"2026-01-02T03:04:05Z","data":{}}`
	if string(got) != want {
		t.Fatalf("json.Marshal = %s, want %s", got, want)
	}
}
