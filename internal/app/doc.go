// Package app is the composition root of the wexio binary: configuration,
// the store, the services and workers, the HTTP mux and graceful shutdown.
// It is the only place where concrete types are wired together; the
// subcommands (cli.go) share it. Its tests are the end-to-end tests of the
// contract, one file per behaviour, each against a real server over a real
// database.
package app
