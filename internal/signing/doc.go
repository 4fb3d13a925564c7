// Package signing signs webhook bodies the Standard Webhooks way
// (webhook-signature: "v1,<base64 HMAC-SHA256>", one per secret during a
// rotation) and makes and vets the "whsec_" secrets it signs with.
//
// It is its own room because two sides need it and neither should pull in
// the other: webhook management generates and checks secrets when a
// webhook is saved, and the dispatcher signs every attempt.
package signing
