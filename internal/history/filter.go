// Package history reads and prunes the log rows of inbound requests and
// outbound attempts: the filters the generated where-inputs cannot express,
// and retention.
package history

import (
	"strings"

	"github.com/wexio/webhooks/ent/event"
	"github.com/wexio/webhooks/ent/predicate"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/ent/webhooklog"
)

// LogPredicates turns a WebhookLogFilter into ent predicates. Since is
// inclusive and Until exclusive. An event type ending in "*" matches by
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
		ps = append(ps, webhooklog.OccurredAtGTE(*f.Since))
	}
	if f.Until != nil {
		ps = append(ps, webhooklog.OccurredAtLT(*f.Until))
	}
	if f.EventType != nil {
		ps = append(ps, webhooklog.HasEventWith(EventTypePredicate(*f.EventType)))
	}
	return ps
}

// EventTypePredicate matches event types by pattern: "*" all, "x.*" or "x*"
// by prefix, anything else exactly.
func EventTypePredicate(pattern string) predicate.Event {
	if prefix, ok := strings.CutSuffix(pattern, "*"); ok {
		if prefix == "" {
			return event.TypeNEQ("")
		}
		return event.TypeHasPrefix(prefix)
	}
	return event.Type(pattern)
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
		ps = append(ps, event.OccurredAtGTE(*f.Since))
	}
	if f.Until != nil {
		ps = append(ps, event.OccurredAtLT(*f.Until))
	}
	return ps
}
