// Package groupcommit batches many small write transactions into one
// database transaction, the way databases group-commit their logs: a
// request's work is acknowledged only after the batch holding it committed,
// but hundreds of requests share one commit (one fsync, one lock).
//
// Each job runs inside its own SAVEPOINT, so a job that fails (a unique
// violation, a validation error) is rolled back alone and its error returned
// to its caller, while the rest of the batch commits.
package groupcommit
