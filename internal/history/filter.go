package history

import (
	"time"

	"entgo.io/ent/dialect/sql"
	"github.com/oklog/ulid/v2"

	"github.com/wexio/webhooks/ent/event"
	"github.com/wexio/webhooks/ent/predicate"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/ent/webhooklog"
)

// LogPredicates turns a WebhookLogFilter into ent predicates. Since is
// inclusive and Until exclusive. Bounds are compared in UTC, as every row
// is stored: the driver compares times as text in their own offset, so a
// bound given as 19:00+02:00 would otherwise miss a row at 17:30Z. An event
// type ending in "*" matches by prefix, like webhook subscriptions.
func LogPredicates(f *schematype.LogFilter) []predicate.WebhookLog {
	if f == nil {
		return nil
	}
	var ps []predicate.WebhookLog
	if f.WebhookID != nil {
		ps = append(ps, webhooklog.WebhookID(*f.WebhookID))
	}
	if f.Direction != nil {
		ps = append(ps, webhooklog.DirectionEQ(*f.Direction))
	}
	if len(f.Outcomes) > 0 {
		ps = append(ps, webhooklog.OutcomeIn(f.Outcomes...))
	}
	if f.Since != nil {
		ps = append(ps, webhooklog.OccurredAtGTE(f.Since.UTC()))
		if id, ok := idAt(f.Since.Add(-idSlackBefore)); ok {
			ps = append(ps, webhooklog.IDGTE(id))
		}
	}
	if f.Until != nil {
		ps = append(ps, webhooklog.OccurredAtLT(f.Until.UTC()))
		if id, ok := idAt(f.Until.Add(idSlackAfter)); ok {
			ps = append(ps, webhooklog.IDLT(id))
		}
	}
	if f.EventType != nil {
		ps = append(ps, webhooklog.HasEventWith(EventTypePredicate(*f.EventType)))
	}
	return ps
}

// EventTypePredicate matches event types by pattern: "*" all, "x.*" or "x*"
// by prefix, anything else exactly; case and every byte count, as in
// subscriptions (events.Match) and the counters behind totalCount.
func EventTypePredicate(pattern string) predicate.Event {
	return func(s *sql.Selector) { s.Where(typeMatches(s.C(event.FieldType), pattern)) }
}

// EventPredicates turns an EventFilter into ent predicates.
func EventPredicates(f *schematype.EventFilter) []predicate.Event {
	if f == nil {
		return nil
	}
	var ps []predicate.Event
	if f.Type != nil {
		ps = append(ps, EventTypePredicate(*f.Type))
	}
	if f.Since != nil {
		ps = append(ps, event.OccurredAtGTE(f.Since.UTC()))
	}
	if f.Until != nil {
		ps = append(ps, event.OccurredAtLT(f.Until.UTC()))
	}
	return ps
}

// A log row's id is minted when the row is written, from the same clock,
// shortly after its occurred_at (the request's arrival, the attempt's
// start). Bounding the id as well as occurred_at lets a time filter seek
// the (…, id) indexes that serve newest-first pages instead of walking
// them: "until a month ago" scanned 29/30 of the table. The slack keeps the
// bounds redundant (never excluding a matching row) as long as a row is
// written within idSlackAfter of its occurred_at (an attempt lasts at most
// 5 minutes) and clocks step back by less than idSlackBefore.
const (
	idSlackBefore = time.Minute
	idSlackAfter  = 15 * time.Minute
)

// idAt is the smallest log id minted at t.
func idAt(t time.Time) (pulid.ID, bool) {
	if t.Before(time.Unix(0, 0)) || t.After(ulid.Time(ulid.MaxTime())) {
		return "", false
	}
	var u ulid.ULID
	if err := u.SetTime(ulid.Timestamp(t)); err != nil {
		return "", false
	}
	return pulid.ID("log_" + u.String()), true
}
