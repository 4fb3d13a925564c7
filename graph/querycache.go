package graph

import (
	"container/list"
	"context"
	"sync"

	"github.com/99designs/gqlgen/graphql"
)

// Caches of the /query handler, bounded by what they hold, in bytes of
// query text, rather than by a count: a parsed and validated document
// takes some 22 times its text, and the documents DocumentLimits lets
// through run to a megabyte, so a thousand cached documents could hold
// gigabytes. Typical queries are a few kilobytes: thousands fit.
const (
	// maxParsedQueryBytes bounds the text of the documents gqlgen keeps
	// parsed and validated (some 90 MB of syntax trees at most).
	maxParsedQueryBytes = 4 << 20
	// maxPersistedQueryBytes bounds the text of the persisted queries
	// (automatic persisted queries) kept by their hash.
	maxPersistedQueryBytes = 4 << 20
)

// bytesCache is a least-recently-used cache holding entries up to a
// total size; an entry over a sixteenth of it is not kept, so that one
// large document never evicts hundreds of small ones.
type bytesCache[T any] struct {
	max  int
	size func(key string, value T) int

	mu    sync.Mutex
	used  int
	order *list.List // of *bytesEntry[T], the most recently used first
	index map[string]*list.Element
}

type bytesEntry[T any] struct {
	key   string
	value T
	size  int
}

var _ graphql.Cache[string] = (*bytesCache[string])(nil)

func newBytesCache[T any](max int, size func(key string, value T) int) *bytesCache[T] {
	return &bytesCache[T]{max: max, size: size, order: list.New(), index: map[string]*list.Element{}}
}

// Get implements graphql.Cache.
func (c *bytesCache[T]) Get(_ context.Context, key string) (T, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.index[key]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*bytesEntry[T]).value, true
	}
	var zero T
	return zero, false
}

// Add implements graphql.Cache.
func (c *bytesCache[T]) Add(_ context.Context, key string, value T) {
	n := c.size(key, value)
	if n > c.max/16 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.index[key]; ok {
		c.order.Remove(e)
		c.used -= e.Value.(*bytesEntry[T]).size
	}
	c.index[key] = c.order.PushFront(&bytesEntry[T]{key: key, value: value, size: n})
	c.used += n
	for c.used > c.max {
		last := c.order.Back()
		old := last.Value.(*bytesEntry[T])
		c.order.Remove(last)
		delete(c.index, old.key)
		c.used -= old.size
	}
}
