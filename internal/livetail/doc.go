// Package livetail fans freshly committed rows out to live subscribers.
//
// It is generic and knows nothing of the rows it carries. The writer calls
// Publish after its commit; Publish never waits for a subscriber. A
// subscriber whose buffer is full is dropped (its channel closed, Dropped
// reports true) so that one slow dashboard costs only itself frames, never
// the pipeline. This is the in-process (SQLite) version of Publisher; a
// PostgreSQL version can sit behind the same interface using LISTEN/NOTIFY.
package livetail
