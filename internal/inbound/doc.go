// Package inbound serves POST /in/{token}: it reads the body once under the
// size limit, authenticates the raw bytes, parses them, deduplicates by
// idempotency key, and commits the log row, the resolved contact, a captured
// schema and the flow runs it starts before it answers 202. Every request on
// a known token leaves exactly one log row, whatever the answer.
package inbound
