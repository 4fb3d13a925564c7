package outbound_test

import "time"

// threadCPUMeasured: threadCPU reads the calling thread's CPU time.
const threadCPUMeasured = true

// rusageThread is Linux's RUSAGE_THREAD, which package syscall does not
// name.
const rusageThread = 1

// threadCPU is the calling OS thread's CPU time so far, user and system:
// lock the goroutine to its thread (runtime.LockOSThread) around what is
// measured.
func threadCPU() time.Duration { return usage(rusageThread) }
