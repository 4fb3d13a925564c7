package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
)

// Flow is a trigger and an ordered list of steps (cards).
type Flow struct{ ent.Schema }

// Mixin of the Flow.
func (Flow) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix("flow"), TimeMixin{}, WorkspaceMixin{}}
}

// Fields of the Flow.
func (Flow) Fields() []ent.Field {
	skip := entgql.Skip(entgql.SkipAll)
	return []ent.Field{
		field.String("name").NotEmpty(),
		field.Bool("enabled").Default(true),
		field.Enum("trigger_type").GoType(schematype.FlowTriggerType("")).Annotations(skip),
		field.String("webhook_id").GoType(pulid.ID("")).Optional().Nillable().Annotations(skip),
		field.JSON("steps", []schematype.FlowStep{}).Annotations(skip),
	}
}

// Edges of the Flow.
func (Flow) Edges() []ent.Edge {
	skip := entgql.Skip(entgql.SkipAll)
	return []ent.Edge{
		edge.To("webhook", Webhook.Type).Field("webhook_id").Unique().Annotations(skip),
		edge.From("runs", FlowRun.Type).Ref("flow").Annotations(skip),
	}
}

// Annotations of the Flow.
func (Flow) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.Skip(entgql.SkipWhereInput, entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput),
	}
}
