// Package outbox writes events and their deliveries in the caller's
// transaction (the transactional outbox): a domain change and the event it
// emits commit together or not at all, and each Delivery row is the job the
// dispatcher later claims. It never calls the network.
package outbox
