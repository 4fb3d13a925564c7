// Package tenant carries the caller's workspace in a context. It is the one
// key the data layer filters every query and mutation by, so it imports
// nothing of ours and everything may import it.
package tenant
