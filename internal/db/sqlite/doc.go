// Package sqlite is the embedded store: one SQLite file used the way it is
// meant to be used, WAL, a busy timeout, foreign keys, synchronous=FULL (NORMAL on request),
// immediate write transactions, one writer connection behind a group-commit
// writer (so writers queue in Go rather than fight over the file lock) and
// a separate pool of readers. Claims go through that writer, notifications
// stay in the process, and a host lock (flock) beside the file tells a
// server whether it works the queues alone. What is SQLite's own lives
// here: pragmas, triggers, strftime, flock.
package sqlite
