package graph

import (
	"context"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/flow"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/flows"
)

// webhookFlows selects the flows of webhook w: for an inbound one, those
// it triggers; for an outbound one, those whose EMIT_EVENT events its
// patterns subscribe to.
func (r *Resolver) webhookFlows(ctx context.Context, w *ent.Webhook) (*ent.FlowQuery, error) {
	if w.Direction == schematype.DirectionInbound {
		return w.QueryFlows(), nil
	}
	c := r.client(ctx)
	ids, err := flows.EmittingTo(ctx, c, w.Events)
	if err != nil {
		return nil, err
	}
	return c.Flow.Query().Where(flow.IDIn(ids...)), nil
}
