// Package testkit holds what tests of several packages need alike.
package testkit
