// Package outbound delivers events to outbound webhooks: it signs each
// body (internal/signing), POSTs it through the client that refuses
// private and reserved addresses at connect time (internal/egress),
// decides from the answer what happens next (success, retry, retry after a
// delay, failure, or disabling the webhook), and schedules retries with
// capped exponential backoff and jitter.
//
// The pieces doing that are pure or nearly so (clock and randomness are
// injected). The Dispatcher around them is a thin loop: claim due Delivery
// rows under a lease (Claimer), attempt them with a bounded pool of
// workers, and record every attempt (one WebhookLog row, the delivery's new
// state) in batches through the group-commit writer. It is only the
// dispatcher: a retry or test event asked for through the API, and holding
// a paused webhook's deliveries, are internal/deliveries' work.
package outbound
