//go:build !unix

package outbound_test

import "time"

// cpuTime is not measured here: the cores metric reads 0.
func cpuTime() time.Duration { return 0 }
