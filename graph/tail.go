package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/ent/webhook"
	"github.com/wexio/webhooks/internal/apperr"
)

// tailLogs streams the caller's workspace's new log rows, after their
// commit, filtered by webhook and direction. A subscriber whose buffer fills
// gets one SLOW_SUBSCRIBER error and its subscription ends: ingestion never
// waits for it.
func (r *Resolver) tailLogs(ctx context.Context, webhookID *pulid.ID, direction *schematype.Direction) (<-chan *ent.WebhookLog, error) {
	ws, err := workspaceID(ctx)
	if err != nil {
		return nil, err
	}
	if webhookID != nil {
		// Another workspace's id behaves as one that does not exist.
		if ok, err := r.Read.Webhook.Query().Where(webhook.ID(*webhookID)).Exist(ctx); err != nil || !ok {
			if err != nil {
				return nil, err
			}
			return nil, apperr.NotFound("webhook " + string(*webhookID))
		}
	}
	filter := func(l *ent.WebhookLog) bool {
		return l.WorkspaceID == ws &&
			(webhookID == nil || l.WebhookID == *webhookID) &&
			(direction == nil || l.Direction == *direction)
	}
	// The subscription's channel goes to gqlgen as is: no goroutine of ours
	// per subscriber. A dropped subscriber's error is recorded before its
	// channel closes, so gqlgen sends it instead of "complete".
	sub := r.Tail.SubscribeFunc(ctx, filter, func() { slowSubscriber(ctx) })
	return sub.C(), nil
}

// slowSubscriber tells a WebSocket subscriber why its stream ends.
// AddSubscriptionError panics outside a WebSocket context; subscriptions
// are only served over WebSocket, but a panic must not kill the server.
func slowSubscriber(ctx context.Context) {
	defer func() { _ = recover() }()
	transport.AddSubscriptionError(ctx, &gqlerror.Error{
		Message:    "subscriber too slow: live tail frames were dropped; read the gap back with webhookLogs",
		Extensions: map[string]any{"code": "SLOW_SUBSCRIBER"},
	})
}
