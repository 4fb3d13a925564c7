// Package contact resolves and creates contacts for inbound webhooks.
package contact
