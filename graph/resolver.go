// Package graph is the GraphQL API: thin resolvers over ent and the domain
// services of internal/, the error presenter, and the HTTP handler.
package graph

import (
	"context"
	"log/slog"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/internal/webhooks"
)

// Resolver holds the dependencies of the resolvers.
type Resolver struct {
	// Read serves queries; mutations use the transaction entgql.Transactioner
	// opened on the write client (ent.FromContext).
	Read     *ent.Client
	Webhooks *webhooks.Service
	Log      *slog.Logger
	Now      func() time.Time
}

// NewSchema returns the executable schema with page-size-aware complexity.
func NewSchema(r *Resolver) graphql.ExecutableSchema {
	cfg := Config{Resolvers: r}
	setComplexity(&cfg.Complexity)
	return NewExecutableSchema(cfg)
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
