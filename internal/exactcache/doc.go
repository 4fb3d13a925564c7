// Package exactcache caches what is read from committed rows and keeps it
// exact within the process: an ent hook on the cached entities' mutations
// invalidates every entry when a change runs and again when its transaction
// commits or rolls back, and while a change is running or uncommitted the
// cache answers nothing, so no reader can cache a row a transaction is
// about to change. A TTL bounds staleness against writers in other
// processes.
package exactcache
