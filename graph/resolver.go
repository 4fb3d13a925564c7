package graph

import (
	"context"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/internal/crm"
	"github.com/wexio/webhooks/internal/flows"
	"github.com/wexio/webhooks/internal/livetail"
	"github.com/wexio/webhooks/internal/webhooks"
)

// Resolver holds the dependencies of the resolvers.
type Resolver struct {
	// Read serves queries; mutations use the transaction entgql.Transactioner
	// opened on the write client (ent.FromContext).
	Read     *ent.Client
	Webhooks *webhooks.Service
	CRM      *crm.Service
	Flows    *flows.Service
	Tail     *livetail.Broker[*ent.WebhookLog] // fan-out of committed log rows
	// Dialect is the database's SQL dialect (store.Store.Dialect), for the
	// statements history builds by hand; "" is SQLite's.
	Dialect string
	// Working reports whether a live dispatcher may hold a delivery
	// (see deliveries.Retry); nil when none runs.
	Working func(pulid.ID) bool
	Now     func() time.Time
}

// NewSchema returns the executable schema, its live-tail frames shared
// among subscribers (tailSchema). What an operation may cost is the Cost
// extension's business, not gqlgen's per-field complexity.
func NewSchema(r *Resolver) graphql.ExecutableSchema {
	return &tailSchema{executableSchema: NewExecutableSchema(Config{Resolvers: r}).(*executableSchema), frames: newFrameCache()}
}

// client returns the client for ctx: the mutation's transaction when there
// is one (with one writer connection, using another client inside a
// transaction would wait forever), else the read pool.
func (r *Resolver) client(ctx context.Context) *ent.Client {
	if c := ent.FromContext(ctx); c != nil {
		return c
	}
	return r.Read
}
