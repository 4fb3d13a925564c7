// Package verify authenticates inbound webhook requests. Every scheme a
// provider uses (a shared secret, HMAC signatures in their many header
// layouts, Ed25519 and ECDSA keys, URL-bound signatures, Basic auth) is
// checked over the raw body bytes exactly as received, before anything parses
// them. The package is pure: no I/O, the clock is injected, and presets are
// rows in a table read by a few generic engines (providers.md is the spec).
package verify
