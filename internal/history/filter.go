// Package history reads and prunes the log rows of inbound requests and
// outbound attempts: the filters the generated where-inputs cannot express,
// and retention.
package history

import (
	"strings"
	"time"

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
// bound given as 19:00+02:00 would otherwise miss a row at 17:30Z. An event type ending in "*" matches by
// prefix, like webhook subscriptions.
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
// by prefix, anything else exactly; case counts, as in subscriptions
// (events.Match) and the counters behind totalCount.
func EventTypePredicate(pattern string) predicate.Event {
	if prefix, ok := strings.CutSuffix(pattern, "*"); ok {
		if prefix == "" {
			return event.TypeNEQ("")
		}
		lo, hi := prefixRange(prefix)
		return event.And(event.TypeGTE(lo), event.TypeLT(hi))
	}
	return event.Type(pattern)
}

// prefixRange bounds the strings that start with prefix (not empty),
// [lo, hi) in SQLite's default BINARY order, which compares bytes. ent's
// HasPrefix is a LIKE, which ignores ASCII case; a range also keeps to an
// index on the column. Incrementing the last byte that can be gives hi;
// UTF-8 has no 0xFF bytes, so one always can.
func prefixRange(prefix string) (lo, hi string) {
	b := []byte(prefix)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < 0xFF {
			b[i]++
			return prefix, string(b[:i+1])
		}
	}
	return prefix, prefix + "\xff" // unreachable for UTF-8 text
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
