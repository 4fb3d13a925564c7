package history

import (
	"testing"
	"time"

	"github.com/wexio/webhooks/ent/schema/schematype"
)

// TestTimeBoundsInAnyOffset: since is inclusive and until exclusive, to the
// instant, whatever offset the client wrote the bound in; for log rows and
// for events alike.
func TestTimeBoundsInAnyOffset(t *testing.T) {
	t.Parallel()
	e := setup(t)
	at := time.Date(2026, 11, 20, 17, 30, 0, 0, time.UTC)
	err := e.d.Write.WebhookLog.Create().SetID(logIDAt(at)).SetWebhookID(e.hook.ID).
		SetDirection(schematype.DirectionOutbound).SetOutcome(schematype.OutcomeSucceeded).
		SetOccurredAt(at).SetRequest(schematype.HTTPMessage{}).Exec(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	e.event(t, at)
	plus2 := time.FixedZone("+02:00", 2*3600)
	same, later := at.In(plus2), at.Add(time.Millisecond).In(plus2)
	for _, tc := range []struct {
		name         string
		since, until *time.Time
		want         int
	}{
		{"since the instant", &same, nil, 1},
		{"since just after", &later, nil, 0},
		{"until the instant", nil, &same, 0},
		{"until just after", nil, &later, 1},
	} {
		logs, err := e.d.Read.WebhookLog.Query().
			Where(LogPredicates(&schematype.LogFilter{Since: tc.since, Until: tc.until})...).Count(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		counted, err := CountLogs(e.ctx, e.d.Read, e.d.Dialect, &schematype.LogFilter{Since: tc.since, Until: tc.until})
		if err != nil {
			t.Fatal(err)
		}
		events, err := e.d.Read.Event.Query().
			Where(EventPredicates(&schematype.EventFilter{Since: tc.since, Until: tc.until})...).Count(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if logs != tc.want || counted != tc.want || events != tc.want {
			t.Errorf("%s: logs %d, counted %d, events %d; want %d", tc.name, logs, counted, events, tc.want)
		}
	}
}

// TestEventTypePatterns: an event type filter matches exactly, by prefix
// ("contact.*" or "contact*"), or everything ("*"); case and every byte
// count, multi-byte characters included ("naïve¿*" holds "naïve¿a", not
// "naïveÀ", the next character's).
func TestEventTypePatterns(t *testing.T) {
	t.Parallel()
	e := setup(t)
	for _, typ := range []string{"contact.created", "contact.updated", "chat.opened", "contactless.thing", "Contact.Created", "flow.ünï",
		"Contact.x", "contact.x", "naïve¿a", "naïveÀ", "naïve¾z"} {
		if err := e.d.Write.Event.Create().SetType(typ).SetOccurredAt(now).SetData([]byte("{}")).Exec(e.ctx); err != nil {
			t.Fatal(err)
		}
	}
	for pattern, want := range map[string]int{
		"contact.created": 1, "contact.*": 3, "contact*": 4, "*": 11, "chat": 0, "contact.created.*": 0,
		"Contact.*": 2, "Contact.x": 1, "contact.x": 1, "CONTACT*": 0, "flow.ü*": 1, "flow.ünï": 1, "": 0,
		"naïve¿*": 1, "naïve*": 3, "naïveÀ": 1, "naïve¿": 0,
	} {
		n, err := e.d.Read.Event.Query().Where(EventPredicates(&schematype.EventFilter{Type: &pattern})...).Count(e.ctx)
		if err != nil || n != want {
			t.Errorf("%q: %d events (%v), want %d", pattern, n, err, want)
		}
	}
}
