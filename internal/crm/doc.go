// Package crm is the domain logic for contacts, chats and messages: creating
// and updating contacts, resolving the contact an inbound request names,
// opening and closing chats, and sending and delivering messages. Every
// operation takes the ent client of the caller's transaction and writes its
// change and the event it causes (outbox.Emit) in that transaction, so both
// commit together or not at all. An operation that changes nothing emits
// nothing.
//
// Identifiers are normalised here, the same way whether they are stored or
// looked up, so one person written two ways is one contact: e-mail addresses
// trimmed and lower-cased (a display name dropped), phone numbers in E.164
// (they must carry a country code; national numbers are refused), chat and
// channel user ids trimmed, as given otherwise. Each is unique within a
// workspace; a clash is a CONFLICT. Tenancy is ent's: another workspace's id
// behaves exactly like one that does not exist (NOT_FOUND).
package crm
