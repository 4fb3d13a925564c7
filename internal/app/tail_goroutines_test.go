package app

import (
	"bytes"
	"runtime"
	"testing"

	"github.com/wexio/webhooks/internal/testkit"
)

// subscriptionCode is where the goroutines of a subscription run: the
// WebSocket transport and connection, the resolvers, the live tail.
var subscriptionCode = [][]byte{
	[]byte("github.com/99designs/gqlgen/graphql/handler/transport."),
	[]byte("github.com/gorilla/websocket."),
	[]byte("github.com/wexio/webhooks/internal/wsgorilla."),
	[]byte("github.com/wexio/webhooks/internal/livetail."),
	[]byte("github.com/wexio/webhooks/graph."),
}

// subscriptionGoroutines returns the stacks of the goroutines running
// subscription code. (Counting every goroutine would count the server's
// workers too, which start on their own time.)
func subscriptionGoroutines() [][]byte {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	var found [][]byte
	for _, g := range bytes.Split(buf, []byte("\n\n")) {
		for _, code := range subscriptionCode {
			if bytes.Contains(g, code) {
				found = append(found, g)
				break
			}
		}
	}
	return found
}

// A subscription that ends leaves no goroutine behind. Not parallel: it
// counts the process's goroutines.
func TestLiveTailLeavesNoGoroutines(t *testing.T) {
	ta := newTestApp(t)
	h := ta.createIn(t, ta.key, map[string]any{})
	before := len(subscriptionGoroutines())
	t.Cleanup(func() { // before the app closes: what is still running
		if t.Failed() {
			left := subscriptionGoroutines()
			t.Logf("%d goroutines in subscription code, %d before; %d subscribers left\n%s",
				len(left), before, ta.tail.Len(), bytes.Join(left, []byte("\n\n")))
		}
	})
	for i := 0; i < 20; i++ {
		c := ta.dialWS(t, []string{"graphql-transport-ws", "graphql-ws"}[i%2], ta.key)
		c.expect("connection_ack")
		c.subscribe("1", tailQuery, map[string]any{"w": h.id})
		if i%4 == 0 {
			c.send(wsMsg{Type: map[bool]string{true: "stop", false: "complete"}[c.legacy], ID: "1"})
		}
		c.conn.Close()
	}
	testkit.Eventually(t, "the goroutines of 20 closed subscriptions to end", func() bool {
		return len(subscriptionGoroutines()) <= before && ta.tail.Len() == 0
	})
}
