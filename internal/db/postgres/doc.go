// Package postgres is the store for several servers on one PostgreSQL
// database, through pgx's database/sql driver under ent's Postgres
// dialect. Every server serves every path and runs every worker with
// nothing but the database between them: migrations take an advisory lock,
// claims lock the rows they take (FOR UPDATE SKIP LOCKED) in short
// transactions of their own, notifications travel by LISTEN/NOTIFY (one
// NOTIFY per topic and batch of commits, never per row), and live workers
// keep a heartbeat the others can check. What is PostgreSQL's own lives
// here.
package postgres
