// Package db opens the store a database URL names: `sqlite://PATH` for the
// embedded default (internal/db/sqlite), `postgres://` or `postgresql://`
// for several servers on one PostgreSQL database (internal/db/postgres).
// It is the only package that knows the drivers; everything else sees a
// *store.Store.
package db
