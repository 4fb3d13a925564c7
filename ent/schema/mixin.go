package schema

import (
	"context"
	"errors"
	"fmt"
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/mixin"

	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/internal/tenant"
)

// TimeMixin adds created_at and updated_at.
type TimeMixin struct{ mixin.Schema }

// Fields of the TimeMixin.
func (TimeMixin) Fields() []ent.Field {
	return []ent.Field{
		field.Time("created_at").Immutable().Default(nowUTC).
			Annotations(entgql.OrderField("CREATED_AT"), entgql.Skip(entgql.SkipWhereInput)),
		field.Time("updated_at").Default(nowUTC).UpdateDefault(nowUTC).
			Annotations(entgql.Skip(entgql.SkipWhereInput)),
	}
}

// WorkspaceMixin makes an entity belong to a workspace and enforces tenant
// isolation once, here: every query and mutation is filtered by the workspace
// in the context, and creations get it stamped in. Another workspace's rows
// therefore behave exactly like rows that do not exist.
type WorkspaceMixin struct{ mixin.Schema }

// Fields of the WorkspaceMixin.
func (WorkspaceMixin) Fields() []ent.Field {
	return []ent.Field{
		field.String("workspace_id").GoType(pulid.ID("")).Immutable().
			Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Edges of the WorkspaceMixin.
func (WorkspaceMixin) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("workspace", Workspace.Type).Field("workspace_id").
			Unique().Required().Immutable().
			Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Hooks of the WorkspaceMixin.
func (WorkspaceMixin) Hooks() []ent.Hook {
	return []ent.Hook{stampWorkspace}
}

// ErrForeignWorkspace refuses a creation aimed at a workspace other than the
// caller's.
var ErrForeignWorkspace = errors.New("schema: creating in another workspace")

// stampWorkspace sets workspace_id on creation from the context, and refuses a
// creation aimed at another workspace than the caller's.
func stampWorkspace(next ent.Mutator) ent.Mutator {
	return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
		if !m.Op().Is(ent.OpCreate) {
			return next.Mutate(ctx, m)
		}
		wm, ok := m.(interface {
			WorkspaceID() (pulid.ID, bool)
			SetWorkspaceID(pulid.ID)
		})
		if !ok {
			return nil, fmt.Errorf("stamping workspace: unexpected mutation %T", m)
		}
		ws, scoped := tenant.Workspace(ctx)
		set, has := wm.WorkspaceID()
		switch {
		case scoped && !has:
			wm.SetWorkspaceID(pulid.ID(ws))
		case scoped && string(set) != ws:
			return nil, fmt.Errorf("stamping workspace: %w", ErrForeignWorkspace)
		case !scoped && !has:
			return nil, fmt.Errorf("stamping workspace: no workspace in context")
		}
		return next.Mutate(ctx, m)
	})
}

// nowUTC stamps times in UTC: SQLite compares stored times as text, so
// rows written under different zones would not order by time. And to the
// microsecond, all PostgreSQL keeps: the row a mutation returns, built in
// memory, must be the row a later read finds.
func nowUTC() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }
