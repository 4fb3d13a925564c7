package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
)

// Webhook is an inbound endpoint or an outbound subscription. Direction
// decides which group of fields is in use; secrets are stored sealed
// (AES-GCM) and never leave the server after creation.
type Webhook struct{ ent.Schema }

// Mixin of the Webhook.
func (Webhook) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix("wh"), TimeMixin{}, WorkspaceMixin{}}
}

// Fields of the Webhook.
func (Webhook) Fields() []ent.Field {
	skip := entgql.Skip(entgql.SkipAll)
	return append([]ent.Field{
		field.String("name").NotEmpty().
			Annotations(entgql.OrderField("NAME")),
		field.String("description").Optional().Nillable().
			Annotations(entgql.Skip(entgql.SkipWhereInput)),
		field.Enum("direction").GoType(schematype.Direction("")).Immutable().
			Annotations(entgql.Type("Direction")),
		field.Enum("status").GoType(schematype.WebhookStatus("")).Default(string(schematype.WebhookActive)).
			Annotations(entgql.Type("WebhookStatus")),
		field.Int("schema_version").Default(0).
			Annotations(entgql.Skip(entgql.SkipWhereInput)),
		// Secrets: sealed current and previous secret (rotation grace).
		field.Bytes("secret").Optional().Sensitive().Annotations(skip),
		field.String("secret_hint").Optional().Annotations(skip),
		field.Bytes("previous_secret").Optional().Nillable().Sensitive().Annotations(skip),
		field.Time("previous_secret_expires_at").Optional().Nillable().Annotations(skip),
	}, append(inboundFields(skip), outboundFields(skip)...)...)
}

func inboundFields(skip entgql.Annotation) []ent.Field {
	return []ent.Field{
		field.String("token").Optional().Nillable().Immutable().Unique().Sensitive().Annotations(skip),
		field.Enum("auth_mode").GoType(schematype.InboundAuthMode("")).Optional().Annotations(skip),
		field.String("auth_preset").Optional().Annotations(skip),
		field.JSON("auth_hmac", &schematype.HMACParams{}).Optional().Annotations(skip),
		field.Int("tolerance_seconds").Default(300).Annotations(skip),
		field.Bytes("verify_token").Optional().Nillable().Sensitive().Annotations(skip),
		field.Enum("contact_match").GoType(schematype.ContactMatch("")).Optional().Nillable().Annotations(skip),
		field.String("contact_path").Optional().Annotations(skip),
		field.Bool("contact_create").Default(false).Annotations(skip),
		field.Bool("capturing").Default(false).Annotations(skip),
	}
}

func outboundFields(skip entgql.Annotation) []ent.Field {
	return []ent.Field{
		// url is what the API shows and attempt rows keep: query values
		// replaced by "[redacted]", since a receiver's credential often
		// rides there (?api_key=). url_sealed holds the whole URL, sealed
		// like the secrets, whenever the two differ; deliveries go to it.
		field.String("url").Optional().Annotations(skip),
		field.Bytes("url_sealed").Optional().Sensitive().Annotations(skip),
		field.Enum("outbound_auth").GoType(schematype.OutboundAuthMode("")).Optional().Annotations(skip),
		field.String("basic_username").Optional().Annotations(skip),
		field.Strings("events").Optional().Annotations(skip),
		field.JSON("headers", map[string]string{}).Optional().Annotations(skip),
		field.Int("max_retries").Default(5).Annotations(skip),
		field.Int("timeout_seconds").Default(15).Annotations(skip),
		// Receivers that fail or crawl. max_concurrency bounds the attempts
		// in flight, decided at claim time; ordered makes it one, in event
		// order. rate_next_at is the rate limit's state (GCRA's theoretical
		// arrival time): the next attempt may start no sooner.
		field.Int("max_concurrency").Default(16).Annotations(skip),
		field.Int("rate_limit_per_second").Optional().Nillable().Annotations(skip),
		field.Time("rate_next_at").Optional().Nillable().Annotations(skip),
		field.Bool("ordered").Default(false).Annotations(skip),
		// Endpoint health: consecutive_failures counts attempts since the
		// last 2xx; at FailingAfter the webhook is FAILING (since
		// health_since): its deliveries are held but one probe, whose wait
		// (probe_interval_seconds) doubles to an hour.
		field.Enum("health").GoType(schematype.EndpointHealth("")).Default(string(schematype.HealthHealthy)).Annotations(skip),
		field.Time("health_since").Optional().Nillable().Annotations(skip),
		field.Int("consecutive_failures").Default(0).Annotations(skip),
		field.String("last_error").Optional().Nillable().Annotations(skip),
		field.Int("probe_interval_seconds").Default(0).Annotations(skip),
	}
}

// Edges of the Webhook.
func (Webhook) Edges() []ent.Edge {
	skip := entgql.Skip(entgql.SkipAll)
	return []ent.Edge{
		// A deleted webhook takes its history and queue with it; its flows
		// stay, unbound. The foreign keys say so where they are declared,
		// on each edge.To("webhook"): ent reads ON DELETE only there.
		edge.From("schemas", WebhookSchema.Type).Ref("webhook").Annotations(skip),
		edge.From("logs", WebhookLog.Type).Ref("webhook").Annotations(skip),
		edge.From("deliveries", Delivery.Type).Ref("webhook").Annotations(skip),
		edge.From("flows", Flow.Type).Ref("webhook").Annotations(skip),
		edge.From("idempotency_keys", IdempotencyKey.Type).Ref("webhook").Annotations(skip),
	}
}

// Indexes of the Webhook.
func (Webhook) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("workspace_id", "direction", "status"),
	}
}

// Annotations of the Webhook.
func (Webhook) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(),
		entgql.RelayConnection(),
		entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput),
	}
}
