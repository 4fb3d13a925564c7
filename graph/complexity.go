package graph

import (
	"entgo.io/contrib/entgql"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
)

// Page sizes of connections.
const (
	DefaultPageSize = 50
	MaxPageSize     = 500
	// listFactor is the assumed length of the small unpaginated lists
	// (a delivery's attempts, an event's deliveries, a log's runs).
	listFactor = 10
)

// pageSize is the number of rows a connection asks for.
func pageSize(first, last *int) int {
	switch {
	case first != nil:
		return max(*first, 0)
	case last != nil:
		return max(*last, 0)
	default:
		return DefaultPageSize
	}
}

// pageCost charges a connection for every row it may return, so a nested
// connections(first:500){edges{node{logs(first:500)}}} is refused rather
// than run.
func pageCost(child int, first, last *int) int {
	return 1 + child*max(pageSize(first, last), 1)
}

type cursor = *entgql.Cursor[pulid.ID]

func setComplexity(c *ComplexityRoot) {
	c.Query.Webhooks = func(child int, _ cursor, first *int, _ cursor, last *int, _ *ent.WebhookOrder, _ *ent.WebhookWhereInput) int {
		return pageCost(child, first, last)
	}
	c.Query.WebhookLogs = func(child int, first *int, _ cursor, last *int, _ cursor, _ *schematype.LogFilter) int {
		return pageCost(child, first, last)
	}
	c.Query.Contacts = func(child int, first *int, _ cursor, last *int, _ cursor, _ *ent.ContactWhereInput) int {
		return pageCost(child, first, last)
	}
	c.Query.Flows = func(child int, first *int, _ cursor, last *int, _ cursor) int {
		return pageCost(child, first, last)
	}
	c.Query.Events = func(child int, first *int, _ cursor, last *int, _ cursor, _ *schematype.EventFilter) int {
		return pageCost(child, first, last)
	}
	c.Query.Nodes = func(child int, ids []pulid.ID) int { return 1 + child*max(len(ids), 1) }
	c.Webhook.Logs = func(child int, first *int, _ cursor, last *int, _ cursor, _ *schematype.LogFilter) int {
		return pageCost(child, first, last)
	}
	c.Flow.Runs = func(child int, first *int, _ cursor, last *int, _ cursor) int {
		return pageCost(child, first, last)
	}
	list := func(child int) int { return 1 + child*listFactor }
	c.Webhook.Schemas = list
	c.Delivery.Logs = list
	c.Event.Deliveries = list
	c.WebhookLog.FlowRuns = list
}
