// Package graph is the GraphQL API: thin resolvers over ent and the domain
// services of internal/, the error presenter, and the HTTP handler.
package graph
