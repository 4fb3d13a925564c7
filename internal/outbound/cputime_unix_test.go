//go:build unix

package outbound_test

import (
	"syscall"
	"time"
)

// cpuTime is the process's CPU time so far, user and system.
func cpuTime() time.Duration { return usage(syscall.RUSAGE_SELF) }

// usage is the CPU time, user and system, getrusage reports for who.
func usage(who int) time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(who, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
