//go:build unix

package connlimit

import (
	"net"
	"net/http"
	"os"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/wexio/webhooks/internal/testkit"
)

// outOfFilesOnce fails one Accept as the kernel does when the process has
// no descriptor left. Injected: running the test process out of descriptors
// would fail the other tests running beside it.
type outOfFilesOnce struct {
	net.Listener
	armed atomic.Bool
}

func (l *outOfFilesOnce) Accept() (net.Conn, error) {
	if l.armed.CompareAndSwap(true, false) {
		return nil, &net.OpError{Op: "accept", Net: "tcp", Addr: l.Addr(), Err: os.NewSyscallError("accept", syscall.EMFILE)}
	}
	return l.Listener.Accept()
}

// TestOutOfFilesShedsAndServesOn: an accept that fails for want of a
// descriptor reaches net/http as the temporary net.Error it is, so the
// server retries rather than stops, and the connection waiting longest is
// closed to free a descriptor for the retry.
func TestOutOfFilesShedsAndServesOn(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	failing := &outOfFilesOnce{Listener: ln}
	l := serveOn(t, newListener(failing, 10, nil, noFileLimit), nil)
	idle := dial(t, l)
	get(t, idle, "/")
	// net/http marks it idle after the answer went out, which the client
	// may read first: until then the connection dialed next would be the
	// longest waiting, and shed instead.
	testkit.Eventually(t, "the first connection idle", func() bool {
		l.mu.Lock()
		defer l.mu.Unlock()
		return l.waiting.Len() == 1
	})
	failing.armed.Store(true)
	// The accept in progress may return this connection before the armed
	// one fails: either way the next request is served after the failure.
	for range 2 {
		if res := get(t, dial(t, l), "/"); res.StatusCode != http.StatusOK {
			t.Fatalf("after running out of descriptors: %d, want 200", res.StatusCode)
		}
	}
	testkit.Eventually(t, "the failed accept", func() bool { return !failing.armed.Load() })
	if got := testkit.ClosedByServer(150*time.Millisecond, idle); !got[0] || l.Shed() != 1 {
		t.Fatalf("idle connection closed %v, shed %d; want it shed (1)", got[0], l.Shed())
	}
}
