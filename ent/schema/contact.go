package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/wexio/webhooks/ent/schema/pulid"
)

// Contact is a person the workspace talks to. Each identifier is unique
// within a workspace (NULLs do not clash), which also makes lookups by
// identifier an index seek.
type Contact struct{ ent.Schema }

// Mixin of the Contact.
func (Contact) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix("ct"), TimeMixin{}, WorkspaceMixin{}}
}

// Fields of the Contact.
func (Contact) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").Optional().Nillable(),
		field.String("email").Optional().Nillable().Comment("stored lower-case"),
		field.String("phone").Optional().Nillable().Comment("E.164"),
		field.String("chat_id").Optional().Nillable().Annotations(entgql.MapsTo("chatId")),
		field.String("channel_user_id").Optional().Nillable().Annotations(entgql.MapsTo("channelUserId")),
		field.JSON("attributes", map[string]any{}).Default(map[string]any{}).
			Annotations(entgql.Type("JSON"), entgql.Skip(entgql.SkipWhereInput)),
	}
}

// Edges of the Contact.
func (Contact) Edges() []ent.Edge {
	skip := entgql.Skip(entgql.SkipAll)
	return []ent.Edge{
		edge.From("chats", Chat.Type).Ref("contact").Annotations(skip),
	}
}

// Indexes of the Contact.
func (Contact) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("workspace_id", "email").Unique(),
		index.Fields("workspace_id", "phone").Unique(),
		index.Fields("workspace_id", "chat_id").Unique(),
		index.Fields("workspace_id", "channel_user_id").Unique(),
	}
}

// Annotations of the Contact.
func (Contact) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput),
	}
}
