package testkit

import (
	"errors"
	"net"
	"sync"
	"time"
)

// ClosedByServer reports, for each of conns, whether the server closed it:
// a read ends at once (EOF, reset) rather than waiting out wait. The reads
// run together, each ending by the same deadline, since a read past its
// deadline fails at once, closed connection or not. A nil conn is not
// closed. Used by the connection-cap tests and cmd/connflood.
func ClosedByServer(wait time.Duration, conns ...net.Conn) []bool {
	deadline := time.Now().Add(wait)
	out := make([]bool, len(conns))
	var wg sync.WaitGroup
	for i, c := range conns {
		if c == nil {
			continue
		}
		wg.Go(func() {
			_ = c.SetReadDeadline(deadline)
			_, err := c.Read(make([]byte, 1))
			ne, timeout := errors.AsType[net.Error](err)
			out[i] = err != nil && !(timeout && ne.Timeout())
		})
	}
	wg.Wait()
	return out
}
