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
)

// IdempotencyKey remembers the first answer to a keyed inbound request, so
// a repeat within the retention window gets it again and starts nothing.
// The unique index makes concurrent duplicates resolve to one winner.
type IdempotencyKey struct{ ent.Schema }

// Mixin of the IdempotencyKey.
func (IdempotencyKey) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix("idem"), WorkspaceMixin{}}
}

// Fields of the IdempotencyKey.
func (IdempotencyKey) Fields() []ent.Field {
	return []ent.Field{
		field.String("webhook_id").GoType(pulid.ID("")).Immutable(),
		field.String("key").NotEmpty().Immutable(),
		field.Int("status_code").Immutable(),
		field.Bytes("response_body").Immutable(),
		field.String("log_id").GoType(pulid.ID("")).Immutable(),
		// body_sha256 is the hex SHA-256 of the first request's body: a
		// repeat with another body is a key reused, not a retry. Records
		// written before it was kept have none, and replay as before.
		field.String("body_sha256").Optional().Nillable().Immutable(),
		field.Time("created_at").Default(nowUTC).Immutable(),
	}
}

// Edges of the IdempotencyKey.
func (IdempotencyKey) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("webhook", Webhook.Type).Field("webhook_id").Unique().Required().Immutable().
			Annotations(entsql.OnDelete(entsql.Cascade)), // a deleted webhook takes it along
	}
}

// Indexes of the IdempotencyKey.
func (IdempotencyKey) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("webhook_id", "key").Unique(),
		index.Fields("created_at"),
	}
}

// Annotations of the IdempotencyKey.
func (IdempotencyKey) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
