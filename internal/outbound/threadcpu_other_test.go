//go:build !linux

package outbound_test

import "time"

// threadCPUMeasured: the calling thread's CPU time is read on Linux only.
const threadCPUMeasured = false

func threadCPU() time.Duration { return 0 }
