//go:build !unix

package sqlite

import (
	"context"
	"sync"
)

// singletons are the locks taken in this process, by file and name: no
// flock here, so servers in other processes on the file are not seen.
var singletons sync.Map

// Singleton implements store.Driver within the process.
func (d *driver) Singleton(_ context.Context, name string) (release func(), ok bool, err error) {
	key := d.path + "-" + name
	if _, held := singletons.LoadOrStore(key, struct{}{}); held {
		return nil, false, nil
	}
	var once sync.Once
	return func() { once.Do(func() { singletons.Delete(key) }) }, true, nil
}
