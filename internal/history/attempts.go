package history

import (
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/ent/webhooklog"
)

// Attempt is what the log keeps of one outbound attempt at a delivery.
// Workers have no workspace in their context, so it names its own.
type Attempt struct {
	WorkspaceID, WebhookID, EventID, DeliveryID pulid.ID
	EventType                                   string // the event's, which the row is counted under

	Number    int           // 1 for the first attempt
	At        time.Time     // when it started, by the injected clock
	Duration  time.Duration // connect to the answer's last byte
	Succeeded bool          // otherwise FAILED, to be retried or not
	Request   schematype.HTTPMessage
	// Response is the answer, nil when none came; Status is kept with it.
	Response    *schematype.HTTPMessage
	Status      int
	Error       string    // why it did not succeed; "" when it did
	NextRetryAt time.Time // zero when no retry follows
}

// NewAttemptRow builds and encodes a's row, with a new id.
func NewAttemptRow(a Attempt) (*LogRow, error) {
	number := a.Number
	r := &ent.WebhookLog{
		ID: webhooklog.DefaultID(), WorkspaceID: a.WorkspaceID, WebhookID: a.WebhookID,
		Direction: schematype.DirectionOutbound, OccurredAt: a.At.UTC(),
		Outcome:    schematype.OutcomeFailed,
		DurationMs: int(a.Duration.Milliseconds()),
		Request:    storableMessage(a.Request), Response: a.Response,
		EventID: &a.EventID, DeliveryID: &a.DeliveryID, Attempt: &number,
	}
	if a.Succeeded {
		r.Outcome = schematype.OutcomeSucceeded
	}
	if a.Response != nil {
		response, status := storableMessage(*a.Response), a.Status
		r.Response, r.StatusCode = &response, &status
	}
	if a.Error != "" {
		reason := a.Error
		r.Error = &reason
	}
	if !a.NextRetryAt.IsZero() {
		next := a.NextRetryAt.UTC()
		r.NextRetryAt = &next
	}
	lr, err := encodeRow(r, nil)
	if err != nil {
		return nil, err
	}
	lr.eventType = a.EventType
	return lr, nil
}
