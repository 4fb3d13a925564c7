// Package history owns the log rows of inbound requests and outbound
// attempts: how each direction's row is built (and an attempt's encoded
// for one multi-row INSERT), the hourly counters behind totalCount (their
// table and triggers, per SQL dialect), the filters the generated
// where-inputs cannot express, newest-first pages, retention, and the feed
// of committed rows to live tail.
//
// Statements built by hand here follow the database's dialect, ent's name
// for it (store.Store.Dialect): SQLite, the embedded default, and
// PostgreSQL.
package history
