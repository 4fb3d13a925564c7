package testkit

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
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

// KeepAliveGet sends GET path on c and reads the answer whole within
// timeout, leaving c open and idle; an answer other than 200 is an error.
func KeepAliveGet(c net.Conn, path string, timeout time.Duration) error {
	_ = c.SetDeadline(time.Now().Add(timeout))
	defer func() { _ = c.SetDeadline(time.Time{}) }()
	if _, err := io.WriteString(c, "GET "+path+" HTTP/1.1\r\nHost: testkit\r\n\r\n"); err != nil {
		return err
	}
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if _, err := io.Copy(io.Discard, res.Body); err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("answered %s", res.Status)
	}
	return nil
}
