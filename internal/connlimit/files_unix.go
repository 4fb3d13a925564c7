//go:build unix

package connlimit

import (
	"errors"
	"syscall"
)

// fileLimit is the soft RLIMIT_NOFILE: what the process may open, after Go
// raised it to the hard limit at start.
func fileLimit() (uint64, bool) {
	var r syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &r); err != nil {
		return 0, false
	}
	return uint64(r.Cur), true // int64 on some BSDs; RLIM_INFINITY stays huge
}

// outOfFiles reports an accept that failed for want of a file descriptor.
func outOfFiles(err error) bool {
	return errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE)
}
