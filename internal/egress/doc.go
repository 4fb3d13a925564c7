// Package egress decides where the server's own outbound HTTP requests may
// go: CheckURL vets a webhook URL when it is saved, and NewHTTPClient's
// dialer refuses loopback, private, reserved and cloud-metadata addresses
// at connect time, after name resolution, so DNS rebinding cannot get past
// it.
//
// It is its own room so that what saves a URL (webhook management) and
// what sends to it (the dispatcher) share one rule without one importing
// the other.
package egress
