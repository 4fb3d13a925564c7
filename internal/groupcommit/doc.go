// Package groupcommit batches many small write transactions into one
// database transaction, the way databases group-commit their logs: a
// request's work is acknowledged only after the batch holding it committed,
// but hundreds of requests share one commit (one fsync, one lock).
//
// A batch runs its jobs one after the other in one transaction; should one
// fail (a unique violation, a validation error), the batch runs again with
// each job in a SAVEPOINT of its own, so that the failing one is rolled
// back alone and its error returned to its caller while the rest commits.
// The rows jobs leave to the end (store.Hooks.InsertLater) go in together,
// one statement per kind; a batch of nothing but such inserts
// (store.Writer.Insert) is that one statement, with no transaction around.
package groupcommit
