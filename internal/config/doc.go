// Package config holds the server's configuration: one Config read from
// WEXIO_* environment variables, overridden by flags of the same names, and
// validated as a whole before anything starts. Each default is written once,
// in Default.
package config
