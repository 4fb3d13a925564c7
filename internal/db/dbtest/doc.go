// Package dbtest helps tests over the database: a workspace to work in,
// and how SQLite plans the queries code sends, so that a query that must
// stay on an index is held to it.
package dbtest
