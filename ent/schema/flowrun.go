package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
)

// FlowRun is one execution of a flow, and its job row: claimed under a lease
// like a delivery, with step_index recording the committed progress so a
// resumed run never repeats a committed step.
type FlowRun struct{ ent.Schema }

// Mixin of the FlowRun.
func (FlowRun) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix("run"), TimeMixin{}, WorkspaceMixin{}}
}

// Fields of the FlowRun.
func (FlowRun) Fields() []ent.Field {
	skip := entgql.Skip(entgql.SkipAll)
	return []ent.Field{
		field.String("flow_id").GoType(pulid.ID("")).Immutable().Annotations(skip),
		field.String("log_id").GoType(pulid.ID("")).Optional().Nillable().Immutable().Annotations(skip),
		field.String("contact_id").GoType(pulid.ID("")).Optional().Nillable().Annotations(skip),
		field.Enum("status").GoType(schematype.FlowRunStatus("")).Default(string(schematype.RunPending)).
			Annotations(entgql.Type("FlowRunStatus")),
		field.Time("started_at").Optional().Nillable(),
		field.Time("finished_at").Optional().Nillable(),
		field.String("error").Optional().Nillable(),
		field.Int("step_index").Default(0).Annotations(skip),
		field.JSON("step_results", []schematype.StepResult{}).Optional().Annotations(skip),
		field.Time("next_attempt_at").Optional().Nillable().Annotations(skip),
		field.Time("claimed_until").Optional().Nillable().Annotations(skip),
		field.String("claim_token").Optional().Nillable().Annotations(skip).
			Comment("who holds the lease: the claiming server's id, a dot, the claim's own; finishing checks it"),
	}
}

// Edges of the FlowRun.
func (FlowRun) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("flow", Flow.Type).Field("flow_id").Unique().Required().Immutable(),
		edge.To("log", WebhookLog.Type).Field("log_id").Unique().Immutable(),
		edge.To("contact", Contact.Type).Field("contact_id").Unique(),
	}
}

// Indexes of the FlowRun. Due runs are found as deliveries are (see
// Delivery.Indexes): finished runs have no next_attempt_at.
func (FlowRun) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("claimed_until", "next_attempt_at").
			Annotations(entsql.IndexWhere("next_attempt_at IS NOT NULL")),
		index.Fields("flow_id", "id"),
		index.Fields("log_id"),
	}
}

// Annotations of the FlowRun.
func (FlowRun) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.Skip(entgql.SkipWhereInput, entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput),
	}
}
