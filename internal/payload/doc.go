// Package payload turns a verified inbound body into a JSON document. It is
// the single place that decides which media types are accepted and how deep a
// document may nest, so the handler and the schema capture agree.
package payload
