// Package secretbox seals the secrets we store (webhook signing secrets,
// tokens, passwords) with AES-256-GCM under WEXIO_SECRET_KEY, so a copy of
// the database file alone reveals none of them.
package secretbox
