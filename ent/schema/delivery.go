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

// Delivery is one event to one outbound webhook, and it is the job: the
// dispatcher claims due rows under a lease (claimed_until); a dead worker's
// lease expires and the row is claimed again.
type Delivery struct{ ent.Schema }

// Mixin of the Delivery.
func (Delivery) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix("dlv"), TimeMixin{}, WorkspaceMixin{}}
}

// Fields of the Delivery.
func (Delivery) Fields() []ent.Field {
	skip := entgql.Skip(entgql.SkipAll)
	return []ent.Field{
		field.String("event_id").GoType(pulid.ID("")).Immutable().Annotations(skip),
		field.String("webhook_id").GoType(pulid.ID("")).Immutable().Annotations(skip),
		field.Enum("status").GoType(schematype.DeliveryStatus("")).Default(string(schematype.DeliveryPending)).
			Annotations(entgql.Type("DeliveryStatus")),
		field.Int("attempts").Default(0),
		field.Time("next_attempt_at").Optional().Nillable(),
		field.Time("claimed_until").Optional().Nillable().Annotations(skip),
		field.String("claim_token").Optional().Nillable().Annotations(skip).
			Comment("who holds the lease: the claiming server's id, a dot, the claim's own; finishing checks it"),
		field.Bool("manual").Default(false).Annotations(skip).
			Comment("a manual retry of a FAILED delivery: one attempt, no automatic retries after it"),
		field.Int("probes").Default(0).Annotations(skip).
			Comment("attempts made as its FAILING webhook's probe: they use none of its retries"),
		field.Bool("probe").Default(false).Annotations(skip).
			Comment("the probe of its FAILING webhook: the one delivery of it that is not held"),
	}
}

// Edges of the Delivery.
func (Delivery) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("event", Event.Type).Field("event_id").Unique().Required().Immutable(),
		edge.To("webhook", Webhook.Type).Field("webhook_id").Unique().Required().Immutable().
			Annotations(entsql.OnDelete(entsql.Cascade)), // a deleted webhook takes it along
		edge.From("logs", WebhookLog.Type).Ref("delivery").Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Indexes of the Delivery: one per (event, webhook) by construction. Due
// rows are found by (claimed_until, next_attempt_at, id): unleased rows in
// due order, then creation order (released ones share a due time), and
// expired leases, each a range of its own, so a claim never walks past
// the rows in flight. Finished and held rows have no
// next_attempt_at and are left out of the index: it holds only the rows
// still to be attempted, and finishing one costs a delete, not a move.
// (SQLite uses it for any query comparing next_attempt_at.)
func (Delivery) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("event_id", "webhook_id").Unique(),
		index.Fields("claimed_until", "next_attempt_at", "id").
			Annotations(entsql.IndexWhere("next_attempt_at IS NOT NULL")),
		// A webhook's deliveries by status, in creation order: an ordered
		// webhook's head is the first PENDING one.
		index.Fields("webhook_id", "status", "id"),
		// The held rows (a PAUSED, DISABLED or FAILING webhook's): counted,
		// a FAILING webhook's oldest made its probe, released on recovery.
		// Only held rows are in it.
		index.Fields("webhook_id", "id").
			Annotations(entsql.IndexWhere("next_attempt_at IS NULL AND status = 'PENDING'")),
	}
}

// Annotations of the Delivery.
func (Delivery) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.Skip(entgql.SkipWhereInput, entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput),
	}
}
