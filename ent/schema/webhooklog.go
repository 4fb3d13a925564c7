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

// WebhookLog is one history row: an inbound request or an outbound attempt.
// Its id is time-sortable, so "newest first" is an index scan on id.
type WebhookLog struct{ ent.Schema }

// Mixin of the WebhookLog.
func (WebhookLog) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix("log"), WorkspaceMixin{}}
}

// Fields of the WebhookLog.
func (WebhookLog) Fields() []ent.Field {
	skip := entgql.Skip(entgql.SkipAll)
	return []ent.Field{
		field.String("webhook_id").GoType(pulid.ID("")).Immutable().Annotations(skip),
		field.Enum("direction").GoType(schematype.Direction("")).Immutable().
			Annotations(entgql.Type("Direction")),
		field.Time("occurred_at").Default(nowUTC).Immutable(),
		field.Enum("outcome").GoType(schematype.LogOutcome("")).
			Annotations(entgql.Type("LogOutcome")),
		field.Int("status_code").Optional().Nillable(),
		field.Int("duration_ms").Default(0),
		field.String("error").Optional().Nillable(),
		field.JSON("request", schematype.HTTPMessage{}).Annotations(skip),
		field.JSON("response", &schematype.HTTPMessage{}).Optional().Annotations(skip),
		field.String("idempotency_key").Optional().Nillable(),
		field.String("contact_id").GoType(pulid.ID("")).Optional().Nillable().Annotations(skip),
		field.String("event_id").GoType(pulid.ID("")).Optional().Nillable().Annotations(skip),
		field.String("delivery_id").GoType(pulid.ID("")).Optional().Nillable().Annotations(skip),
		field.Int("attempt").Optional().Nillable(),
		field.Time("next_retry_at").Optional().Nillable(),
		// contact_resolution says how an inbound request's contact was
		// found, or why none was, when its webhook resolves contacts.
		field.JSON("contact_resolution", &schematype.ContactResolutionResult{}).Optional().Annotations(skip),
	}
}

// Edges of the WebhookLog.
func (WebhookLog) Edges() []ent.Edge {
	skip := entgql.Skip(entgql.SkipAll)
	return []ent.Edge{
		edge.To("webhook", Webhook.Type).Field("webhook_id").Unique().Required().Immutable().
			Annotations(entsql.OnDelete(entsql.Cascade)), // a deleted webhook takes it along
		edge.To("contact", Contact.Type).Field("contact_id").Unique().Annotations(skip),
		edge.To("event", Event.Type).Field("event_id").Unique().Annotations(skip),
		edge.To("delivery", Delivery.Type).Field("delivery_id").Unique().Annotations(skip),
		edge.From("flow_runs", FlowRun.Type).Ref("log").Annotations(skip),
	}
}

// Indexes of the WebhookLog: the history is browsed per webhook and per
// workspace, newest first, by id; time ranges and retention bound the id,
// which follows occurred_at, so occurred_at has no index. The event and
// delivery indexes
// hold outbound rows only: an inbound row has neither, and finding rows by
// one (equality) never looks for NULL, so it costs an inbound write
// nothing to leave them out.
func (WebhookLog) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("webhook_id", "id"),
		index.Fields("workspace_id", "id"),
		index.Fields("delivery_id").Annotations(entsql.IndexWhere("delivery_id IS NOT NULL")),
		// Deleting an event (retention) sets its logs' event_id to NULL:
		// without this index each deletion scans the whole log table.
		index.Fields("event_id").Annotations(entsql.IndexWhere("event_id IS NOT NULL")),
	}
}

// Annotations of the WebhookLog.
func (WebhookLog) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.Skip(entgql.SkipWhereInput, entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput),
	}
}
