// Package pgtest gives a test a fresh, empty PostgreSQL database of its own.
//
// The server is the one WEXIO_TEST_POSTGRES_URL names, a postgres:// URL
// whose user may create databases. Without it the tests that need
// PostgreSQL skip, saying how to enable them, unless
// WEXIO_TEST_REQUIRE_POSTGRES=1, when they fail: CI sets both, and starts a
// throwaway cluster for them (.ci/run, .ci/pg-cluster.sh);
// scripts/pg-test-cluster starts the same cluster for a developer.
package pgtest
