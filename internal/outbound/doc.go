// Package outbound delivers events to outbound webhooks: it signs each body
// the Standard Webhooks way, POSTs it through an HTTP client that refuses
// private and reserved addresses at connect time, decides from the answer
// what happens next (success, retry, retry after a delay, failure, or
// disabling the webhook), and schedules retries with capped exponential
// backoff and jitter.
//
// The pieces here are pure or nearly so (clock and randomness are injected),
// so the dispatcher that claims deliveries from the database can stay a thin
// loop around Classify and Schedule.
package outbound
