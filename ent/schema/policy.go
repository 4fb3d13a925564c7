package schema

import (
	"context"

	"entgo.io/ent"
	"entgo.io/ent/entql"

	"github.com/wexio/webhooks/ent/privacy"
	"github.com/wexio/webhooks/internal/tenant"
)

// Policy of the WorkspaceMixin.
func (WorkspaceMixin) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{filterByWorkspace("workspace_id")},
		Mutation: privacy.MutationPolicy{filterByWorkspace("workspace_id")},
	}
}

// Policy of the Workspace: a caller sees only its own workspace.
func (Workspace) Policy() ent.Policy {
	rule := privacy.FilterFunc(func(ctx context.Context, f privacy.Filter) error {
		ws, ok := tenant.Workspace(ctx)
		if !ok {
			return privacy.Denyf("no workspace in context")
		}
		f.Where(entql.FieldEQ("id", ws))
		return privacy.Skip
	})
	return privacy.Policy{
		Query:    privacy.QueryPolicy{rule},
		Mutation: privacy.MutationPolicy{rule},
	}
}

// filterByWorkspace returns a rule that restricts a query or mutation to the
// context's workspace through the generated EntQL filter. Without a
// workspace the operation is denied; system work (the inbound endpoint,
// workers) opts out explicitly with privacy.DecisionContext(ctx, privacy.Allow).
func filterByWorkspace(column string) privacy.QueryMutationRule {
	return privacy.FilterFunc(func(ctx context.Context, f privacy.Filter) error {
		ws, ok := tenant.Workspace(ctx)
		if !ok {
			return privacy.Denyf("no workspace in context")
		}
		f.Where(entql.FieldEQ(column, ws))
		return privacy.Skip
	})
}
