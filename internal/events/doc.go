// Package events names the event types the platform emits and matches them
// against the patterns outbound webhooks subscribe with. It also shapes the
// JSON envelope that every outbound delivery carries.
package events
