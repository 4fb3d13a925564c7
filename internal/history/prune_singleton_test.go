package history

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/internal/auth"
)

// TestPruneOnceSkipsWhileAnotherServerPrunes: with a Singleton, a pass
// while another server's pass holds the lock deletes nothing and says so;
// once that one is done, the next pass prunes.
func TestPruneOnceSkipsWhileAnotherServerPrunes(t *testing.T) {
	t.Parallel()
	e := setup(t)
	// Another server's pass: a holder of the lock beside the pruner's (the
	// store conformance suite holds it across stores on one database).
	other := e.d
	l := e.log(t, old)
	p, err := NewPruner(Config{Retention: retention, Now: func() time.Time { return now }},
		Deps{Writer: e.w, Read: e.d.Read, Singleton: e.d})
	if err != nil {
		t.Fatal(err)
	}
	release, ok, err := other.Singleton(context.Background(), singletonName)
	if err != nil || !ok {
		t.Fatalf("the other server's Singleton = %v, %v", ok, err)
	}
	if c, err := p.PruneOnce(context.Background()); !errors.Is(err, ErrPrunedElsewhere) || c.Total() != 0 {
		t.Fatalf("pass beside another server's = %+v, %v; want ErrPrunedElsewhere", c, err)
	}
	sys := auth.System(context.Background())
	if _, err := e.d.Read.WebhookLog.Get(sys, l.ID); err != nil {
		t.Fatalf("the skipped pass deleted the old log row: %v", err)
	}
	release()
	if c, err := p.PruneOnce(context.Background()); err != nil || c != (Counts{Logs: 1}) {
		t.Fatalf("pass after the other's ended = %+v, %v; want the old log row", c, err)
	}
	if _, err := e.d.Read.WebhookLog.Get(sys, l.ID); !ent.IsNotFound(err) {
		t.Fatalf("old log row after the pass: %v", err)
	}
	// The pass gave the lock back: the other server can have it again.
	release, ok, err = other.Singleton(context.Background(), singletonName)
	if err != nil || !ok {
		t.Fatalf("Singleton after the pass = %v, %v", ok, err)
	}
	release()
}
