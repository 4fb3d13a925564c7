// Package store is the storage seam: what every service sees of the
// database, whichever it is. A Store is opened from its URL (internal/db)
// and holds read and write ent clients, a Writer that batches writes, a
// Notifier that carries wake-ups after commits, the claimers of leased rows
// and the capability flags that tell its users what it can do, the way
// river's drivers are all that river's client sees. What is particular to
// one database (SQLite's pragmas, triggers and flock; PostgreSQL's row locks,
// LISTEN/NOTIFY and advisory locks) lives in its driver, never here; one
// conformance suite (storetest) holds every driver to the same behaviour.
package store
