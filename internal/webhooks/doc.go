// Package webhooks manages webhook definitions: creation with validated
// settings and generated secrets, updates, status changes, deletion and
// secret rotation with a grace period. Secrets are sealed with secretbox the
// moment they exist and only leave as the return value of the operation that
// created them.
package webhooks
