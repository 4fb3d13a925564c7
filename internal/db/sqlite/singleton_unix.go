//go:build unix

package sqlite

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"syscall"
)

// Singleton implements store.Driver with an flock(2) on path+"-"+name+".lock",
// as the worker lock does: it covers every server on the file (they share
// a host), and the operating system drops it with its holder's process,
// however that ends.
func (d *driver) Singleton(_ context.Context, name string) (release func(), ok bool, err error) {
	f, err := os.OpenFile(d.path+"-"+name+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, false, fmt.Errorf("opening the %s lock: %w", name, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		_ = f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, false, nil
		}
		return nil, false, fmt.Errorf("taking the %s lock: %w", name, err)
	}
	var once sync.Once
	return func() { once.Do(func() { _ = f.Close() }) }, true, nil
}
