// Package apperr classifies domain errors for the API: what was asked is
// invalid, conflicts with existing data, or names nothing. The GraphQL error
// presenter turns the kind into extensions.code; anything unclassified is
// an internal error, logged and shown generically.
package apperr
