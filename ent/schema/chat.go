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

// Chat is a conversation with a contact on one channel.
type Chat struct{ ent.Schema }

// Mixin of the Chat.
func (Chat) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix("chat"), TimeMixin{}, WorkspaceMixin{}}
}

// Fields of the Chat.
func (Chat) Fields() []ent.Field {
	return []ent.Field{
		field.String("contact_id").GoType(pulid.ID("")).Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.String("channel").NotEmpty().Immutable(),
		field.Enum("status").GoType(schematype.ChatStatus("")).Default(string(schematype.ChatOpen)).
			Annotations(entgql.Type("ChatStatus")),
		field.Time("closed_at").Optional().Nillable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.Time("opened_at").Default(nowUTC).Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Edges of the Chat.
func (Chat) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("contact", Contact.Type).Field("contact_id").Unique().Required().Immutable(),
		edge.From("messages", Message.Type).Ref("chat").Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Indexes of the Chat: at most one OPEN chat per contact and channel.
func (Chat) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("contact_id", "channel").Unique().
			Annotations(entsql.IndexWhere("status = 'OPEN'")),
		// The lookup of a contact's chats: SQLite cannot use the partial
		// index above for "status = ?" with a bound parameter.
		index.Fields("contact_id", "status"),
	}
}

// Annotations of the Chat.
func (Chat) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput),
	}
}
