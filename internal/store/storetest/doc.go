// Package storetest is the conformance suite every store driver passes:
// the writer's transactions and after-commit hooks, the notifier, the
// wake-after-commit hooks, the claimers' leases, the workers' lock, the
// singleton locks and the transaction locks. A driver's test calls Run
// with a function that opens a fresh, empty store of its kind; the same
// suite then holds SQLite today and PostgreSQL next to one behaviour.
package storetest
