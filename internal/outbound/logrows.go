package outbound

import (
	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/internal/history"
)

// newLogRow builds the history row of an attempt, encoded here, by the
// worker that made the attempt, so that the writer only binds it
// (history.InsertLogs).
func newLogRow(e *entry) (*history.LogRow, error) {
	dl, res, v := e.dl, e.res, e.v
	a := history.Attempt{
		WorkspaceID: dl.WorkspaceID, WebhookID: dl.WebhookID, EventID: dl.EventID, DeliveryID: dl.ID,
		EventType: eventType(dl),
		Number:    dl.Attempts + 1, At: res.at, Duration: res.duration,
		Succeeded: v.decision.Outcome == Succeeded,
		Request:   res.request, Response: res.response, Status: res.status,
		Error: v.decision.Reason,
	}
	if !v.final {
		a.NextRetryAt = v.next
	}
	return history.NewAttemptRow(a)
}

// eventType is the type of dl's event, "" when it was not loaded (the
// counters then read it from the event).
func eventType(dl *ent.Delivery) string {
	if dl.Edges.Event == nil {
		return ""
	}
	return dl.Edges.Event.Type
}
