package app

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/wexio/webhooks/internal/config"
	"github.com/wexio/webhooks/internal/testkit"
)

// received is one POST a receiver got.
type received struct {
	header http.Header
	body   []byte
}

// receiver is a real HTTP endpoint answering with status() and recording
// what it got.
type receiver struct {
	*httptest.Server
	mu     sync.Mutex
	got    []received
	status func(n int) int
}

func newReceiver(t testing.TB, status func(n int) int) *receiver {
	rc := &receiver{status: status}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.got = append(rc.got, received{r.Header.Clone(), b})
		n := len(rc.got)
		rc.mu.Unlock()
		w.WriteHeader(rc.status(n))
		_, _ = io.WriteString(w, `{"ok":true}`)
	}))
	t.Cleanup(rc.Close)
	return rc
}

// all returns what arrived so far.
func (rc *receiver) all() []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]received(nil), rc.got...)
}

// wait returns once n requests arrived.
func (rc *receiver) wait(t testing.TB, n int) []received {
	t.Helper()
	testkit.Eventually(t, fmt.Sprintf("%d requests at the receiver", n), func() bool { return len(rc.all()) >= n })
	return rc.all()
}

func newOutboundApp(t testing.TB) *testApp {
	return newTestAppWith(t, func(c *config.Config) { c.AllowPrivateNetworks = true })
}
