// Package ent is the generated data layer (see ent/schema for the model).
package ent

//go:generate go -C .. run -mod=mod ./ent/entc.go
//go:generate go -C .. tool gqlgen generate
