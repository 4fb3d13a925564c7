// Package db opens the store a database URL names: `sqlite://PATH` for the
// embedded default (internal/db/sqlite), and, with the PostgreSQL driver to
// come, `postgres://` and `postgresql://`. It is the only package that
// knows the drivers; everything else sees a *store.Store.
package db
