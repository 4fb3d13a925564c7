// Package flows holds webhook-triggered flows: saving them (Service, which
// validates every step's configuration and template when a flow is created
// or updated) and running them (Runner, a durable worker over FlowRun rows).
//
// A FlowRun row is its own job, claimed under a lease the way deliveries are
// (internal/workqueue). A claimed run executes all its steps in one
// group-commit job: a step that fails leaves no partial effects (the job
// runs the steps straight through and, should one fail for good, is rolled
// back and executed again with each step inside its own savepoint), and the
// run's outcome (step_index, step_results, status, timestamps) is written in
// the same job as the effects. A committed step is therefore never
// repeated: a run interrupted by a crash committed nothing, and is claimed
// again when its lease expires. The outcome is written only if the run is
// still PENDING or RUNNING, so a run whose lease expired while it was still
// being executed elsewhere rolls back instead of executing twice.
//
// A run is due when its next_attempt_at has passed (the inbound handler sets
// it to the request's time); a run without one is never claimed.
//
// Decisions, where the contract is silent:
//
//   - A trigger webhook of another workspace behaves like one that does not
//     exist: BAD_USER_INPUT ("trigger webhook ... not found"), since it is a
//     field of the input, not the object the mutation is about. A flow id of
//     another workspace is NOT_FOUND.
//   - A deterministic failure (a template that renders too large, a contact
//     field the CRM refuses, a step needing a contact when the request named
//     none) marks the run FAILED with the reason in words, without retries.
//     Any other error (the database) leaves the run's committed progress
//     intact and makes it due again after Config.RetryDelay.
//   - A run whose flow was disabled before it was executed is FAILED with
//     "flow disabled"; deleting a flow deletes its runs. A run executes the
//     flow's steps as they are when it is executed (an update in between
//     applies to the remaining steps).
//   - Contact fields that are not set are absent from {{contact.…}}, so they
//     render as an empty string, like any missing value.
//   - Steps run with the run's workspace in the context and without the
//     system privacy bypass, so every query and event is the workspace's own
//     (outbox.Emit relies on the tenant filter to pick outbound webhooks).
package flows
