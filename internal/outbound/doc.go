// Package outbound delivers events to outbound webhooks: it signs each body
// the Standard Webhooks way, POSTs it through an HTTP client that refuses
// private and reserved addresses at connect time, decides from the answer
// what happens next (success, retry, retry after a delay, failure, or
// disabling the webhook), and schedules retries with capped exponential
// backoff and jitter.
//
// The pieces doing that are pure or nearly so (clock and randomness are
// injected). The Dispatcher around them is a thin loop: claim due Delivery
// rows under a lease (Claimer), attempt them with a bounded pool of
// workers, and record every attempt (one WebhookLog row, the delivery's new
// state) in batches through the group-commit writer. RetryDelivery and
// SendTest are the manual actions behind the GraphQL mutations.
package outbound
