// Package capture learns the shape of JSON documents for "capture schema":
// the paths a webhook's payload has, their types and a sample of each, so
// users can pick template paths without reading raw bodies. It is pure
// functions over bytes and uses only the standard library.
//
// The name keeps it apart from the two other schemas: ent's (ent/schema) and
// the GraphQL one (schema.graphqls).
package capture
