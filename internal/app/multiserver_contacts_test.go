package app

import (
	"fmt"
	"sync"
	"testing"

	"github.com/wexio/webhooks/internal/auth"
)

// TestServersResolveOneContactTogether: requests naming the same new
// contact reach two servers at once; every one is accepted and the
// contact is created once (the loser of the race finds the winner's).
func TestServersResolveOneContactTogether(t *testing.T) {
	t.Parallel()
	a, b := twoServers(t)
	h := a.createIn(t, a.key, map[string]any{"contactResolution": map[string]any{
		"match": "EMAIL", "path": "email", "createIfMissing": true}})
	const people = 10
	var wg sync.WaitGroup
	statuses := make(chan int, people*4)
	for i := range people {
		for _, srv := range []*testApp{a, b, a, b} {
			wg.Go(func() {
				statuses <- srv.postJSON(t, h, fmt.Sprintf(`{"email":"p%d@example.com"}`, i), nil).status
			})
		}
	}
	wg.Wait()
	close(statuses)
	for s := range statuses {
		if s != 202 {
			t.Fatalf("a request naming a contact being created elsewhere: %d", s)
		}
	}
	n, err := a.db.Read.Contact.Query().Count(auth.System(t.Context()))
	if err != nil || n != people {
		t.Fatalf("%d contacts (%v), want %d", n, err, people)
	}
}
