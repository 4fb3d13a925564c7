package schema

import (
	"encoding/json"

	"entgo.io/ent/dialect"

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

// WebhookSchema is one captured version of an inbound webhook's JSON shape.
type WebhookSchema struct{ ent.Schema }

// Mixin of the WebhookSchema.
func (WebhookSchema) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix("sch"), WorkspaceMixin{}}
}

// Fields of the WebhookSchema.
func (WebhookSchema) Fields() []ent.Field {
	return []ent.Field{
		field.String("webhook_id").GoType(pulid.ID("")).Immutable(),
		field.Int("version").Positive().Immutable(),
		field.Time("captured_at").Default(nowUTC).Immutable(),
		field.JSON("fields", []schematype.SchemaField{}).Immutable(),
		// json, not jsonb, on PostgreSQL: the sample is the document as
		// sent, its keys in the sender's order, which jsonb does not keep.
		field.JSON("sample", json.RawMessage{}).Immutable().SchemaType(map[string]string{dialect.Postgres: "json"}),
		// headers are the names (lower case) of the captured request's
		// headers, credentials and signatures left out: the variable
		// picker offers them as headers.<name>. Versions captured before
		// they were kept have none.
		field.JSON("headers", []string{}).Optional().Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Edges of the WebhookSchema.
func (WebhookSchema) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("webhook", Webhook.Type).Field("webhook_id").Unique().Required().Immutable().
			Annotations(entsql.OnDelete(entsql.Cascade)), // a deleted webhook takes it along
	}
}

// Indexes of the WebhookSchema.
func (WebhookSchema) Indexes() []ent.Index {
	return []ent.Index{index.Fields("webhook_id", "version").Unique()}
}

// Annotations of the WebhookSchema.
func (WebhookSchema) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
