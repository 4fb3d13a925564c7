// Package redact holds the rules by which credentials and signatures are
// kept out of what the server stores and shows: which header and query
// names carry one, and how headers, queries and URLs look with their
// values replaced by Marker. Inbound and outbound logs, the webhooks'
// static headers and the API that reads them back all follow these rules,
// so a name secret in one place is secret in all. It uses only the
// standard library.
package redact
