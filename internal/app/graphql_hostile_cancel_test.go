package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/graph"
)

// TestResolversStopWhenTheClientLeaves: a client that sends 100 mutations
// and hangs up during the 10th gets no 11th run for it. The mutations of
// one request run one after the other, so the count is exact: the 10th
// waits, inside its database write, until the server has seen the
// connection close (net/http then cancels the request's context).
func TestResolversStopWhenTheClientLeaves(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	finished := make(chan struct{})
	srv := httptest.NewServer(func() http.Handler {
		routes := ta.routes()
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer close(finished)
			routes.ServeHTTP(w, r)
		})
	}())
	defer srv.Close()

	const leaveAt = 10
	var created atomic.Int64
	var serverSawItGo atomic.Bool
	clientCtx, leave := context.WithCancel(context.Background())
	defer leave()
	ta.db.Write.Contact.Use(func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			if m.Op().Is(ent.OpCreate) && created.Add(1) == leaveAt {
				leave()
				select {
				case <-ctx.Done():
					serverSawItGo.Store(true)
				case <-time.After(10 * time.Second):
				}
			}
			return next.Mutate(ctx, m)
		})
	})

	q := "mutation {"
	for i := range graph.MaxRootMutations {
		q += fmt.Sprintf(` c%d: createContact(input: {name: "c%d"}) { id }`, i, i)
	}
	body, _ := json.Marshal(map[string]any{"query": q + " }"})
	req, _ := http.NewRequestWithContext(clientCtx, http.MethodPost, srv.URL+"/query", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+ta.key)
	if res, err := http.DefaultClient.Do(req); err == nil {
		res.Body.Close()
		t.Fatalf("the request ended before the client left: %d", res.StatusCode)
	}
	select {
	case <-finished:
	case <-time.After(20 * time.Second):
		t.Fatal("the server is still working on a request whose client left 20 s ago")
	}
	if !serverSawItGo.Load() {
		t.Fatal("the server did not notice the client leave within 10 s")
	}
	if n := created.Load(); n != leaveAt {
		t.Fatalf("%d contacts created, want %d: the resolvers went on after the client left", n, leaveAt)
	}
	// And all of it was rolled back: the mutation failed.
	if d := ta.ok(t, ta.key, `{ contacts { totalCount } }`, nil); get(d, "contacts.totalCount") != 0.0 {
		t.Fatalf("contacts left behind: %v", d)
	}
}
