// Package workqueue runs work kept as rows under a lease: outbound
// deliveries and flow runs. A claim loop keeps a queue of claimed items
// topped up ahead of a fixed pool of workers, so claiming (a write) overlaps
// the work instead of waiting for a worker to free up. A worker that dies
// with the process leaves leases that expire, and the rows are claimed
// again (at-least-once). What a claim is lives behind Claimer; Rows claims
// through the store's claimer (internal/store), whichever database it is.
package workqueue
