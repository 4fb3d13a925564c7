// Package deliveries changes the state of Delivery rows on behalf of
// something other than the dispatcher's own attempts: a retry or a test
// event asked for through the API (Retry, SendTest), and a webhook's
// status change holding or releasing its pending deliveries (Hold,
// Release). Each works in the caller's transaction and never calls the
// network.
//
// It is its own room so that what manages webhooks and serves the API can
// move deliveries without importing the dispatcher that sends them; the
// dispatcher uses Hold too, when an answer disables a webhook.
package deliveries
