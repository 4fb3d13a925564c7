// Package keycheck makes the database remember a check value of its
// secret key (WEXIO_SECRET_KEY, or the generated key file on SQLite), so
// that a server or CLI command started with another key stops at once as
// bad configuration, instead of starting and then failing on every request
// that opens a stored secret. The check value is a fixed plaintext sealed
// with the key (AES-256-GCM): it proves a key right or wrong and reveals
// nothing about it.
package keycheck
