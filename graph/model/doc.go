// Package model holds the Go types gqlgen generates for the GraphQL types of
// schema.graphqls that are not ent entities: mutation payloads, inputs and
// enums. The generated file, models_gen.go, is rebuilt by go generate and
// never edited; the resolvers in package graph fill these types in.
package model
