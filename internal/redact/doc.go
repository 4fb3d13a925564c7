// Package redact holds the rules by which credentials and signatures are
// kept out of what the server stores and shows: which header and query
// names carry one, and how headers, queries and URLs look with their
// values replaced by Marker. Inbound logs follow the names (IsSecret), so
// a name secret in one place is secret in all. What the server itself
// sends is judged more strictly, since its operators choose the names: an
// outbound webhook's static headers are shown only when on the short
// Harmless list, and its URL's query values never (URL).
// It uses only the standard library.
package redact
