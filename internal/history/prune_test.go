package history

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/testkit"
)

func TestPruneOnceDeletesOnlyExpiredHistory(t *testing.T) {
	t.Parallel()
	e := setup(t)
	logOld, logYoung := e.log(t, old), e.log(t, young)
	idemOld, idemYoung := e.idem(t, "a", old), e.idem(t, "b", young)

	evDone := e.event(t, old) // finished long ago: delivery and event go
	dDone := e.delivery(t, evDone, schematype.DeliverySucceeded, old)
	evFailed := e.event(t, old)
	dFailed := e.delivery(t, evFailed, schematype.DeliveryFailed, old)
	evPending := e.event(t, old) // still being retried: both stay
	dPending := e.delivery(t, evPending, schematype.DeliveryPending, old)
	evRetried := e.event(t, old) // retried by hand lately: both stay
	dRetried := e.delivery(t, evRetried, schematype.DeliverySucceeded, young)
	evBare, evYoung := e.event(t, old), e.event(t, young) // no deliveries

	runDone := e.run(t, schematype.RunSucceeded, old, nil)
	runFailed := e.run(t, schematype.RunFailed, old, nil)
	runYoung := e.run(t, schematype.RunSucceeded, young, &logOld.ID) // outlives its log
	runPending := e.run(t, schematype.RunPending, time.Time{}, nil)
	runRunning := e.run(t, schematype.RunRunning, time.Time{}, nil)

	c, err := e.pruner(t, 0).PruneOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := Counts{FlowRuns: 2, Logs: 1, IdempotencyKeys: 1, Deliveries: 2, Events: 3}
	if c != want {
		t.Errorf("counts = %+v, want %+v", c, want)
	}
	sys := auth.System(context.Background())
	r := e.d.Read
	keep := func(what string, want bool) func(any, error) {
		return func(_ any, err error) {
			t.Helper()
			if got := err == nil; (err != nil && !ent.IsNotFound(err)) || got != want {
				t.Errorf("%s: kept = %v (%v), want %v", what, got, err, want)
			}
		}
	}
	keep("old log", false)(r.WebhookLog.Get(sys, logOld.ID))
	keep("young log", true)(r.WebhookLog.Get(sys, logYoung.ID))
	keep("old idempotency record", false)(r.IdempotencyKey.Get(sys, idemOld.ID))
	keep("young idempotency record", true)(r.IdempotencyKey.Get(sys, idemYoung.ID))
	for _, x := range []struct {
		name  string
		ev, d pulid.ID
		keep  bool
	}{
		{"succeeded", evDone.ID, dDone.ID, false},
		{"failed", evFailed.ID, dFailed.ID, false},
		{"pending", evPending.ID, dPending.ID, true},
		{"retried", evRetried.ID, dRetried.ID, true},
	} {
		keep(x.name+" event", x.keep)(r.Event.Get(sys, x.ev))
		keep(x.name+" delivery", x.keep)(r.Delivery.Get(sys, x.d))
	}
	keep("old event without deliveries", false)(r.Event.Get(sys, evBare.ID))
	keep("young event", true)(r.Event.Get(sys, evYoung.ID))
	keep("succeeded run", false)(r.FlowRun.Get(sys, runDone.ID))
	keep("failed run", false)(r.FlowRun.Get(sys, runFailed.ID))
	keep("pending run", true)(r.FlowRun.Get(sys, runPending.ID))
	keep("running run", true)(r.FlowRun.Get(sys, runRunning.ID))
	if got, err := r.FlowRun.Get(sys, runYoung.ID); err != nil || got.LogID != nil {
		t.Errorf("young run: %v, %v; want kept with its log link cleared", got, err)
	}

	// A second pass finds nothing left to do.
	if c, err := e.pruner(t, 0).PruneOnce(context.Background()); err != nil || c.Total() != 0 {
		t.Errorf("second pass: %+v, %v", c, err)
	}
}

func TestPruneOnceEmptiesEveryBatch(t *testing.T) {
	t.Parallel()
	e := setup(t)
	for i := range 35 {
		e.log(t, old.Add(-time.Duration(i)*time.Minute))
		e.idem(t, fmt.Sprint("old", i), old)
		e.event(t, old)
	}
	for i := range 5 {
		e.log(t, young)
		e.idem(t, fmt.Sprint("young", i), young)
	}
	c, err := e.pruner(t, 10).PruneOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if want := (Counts{Logs: 35, IdempotencyKeys: 35, Events: 35}); c != want {
		t.Errorf("counts = %+v, want %+v", c, want)
	}
	sys := auth.System(context.Background())
	if n, err := e.d.Read.WebhookLog.Query().Count(sys); err != nil || n != 5 {
		t.Errorf("logs left = %d (%v), want 5", n, err)
	}
	if n, err := e.d.Read.IdempotencyKey.Query().Count(sys); err != nil || n != 5 {
		t.Errorf("idempotency records left = %d (%v), want 5", n, err)
	}
}

func TestRunPrunesUntilCancelled(t *testing.T) {
	t.Parallel()
	e := setup(t)
	l := e.log(t, old)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.pruner(t, 0).Run(ctx) }()
	// Run prunes at once on start; wait for that pass (bounded), not for time.
	testkit.Eventually(t, "Run to prune on start", func() bool {
		_, err := e.d.Read.WebhookLog.Get(auth.System(ctx), l.ID)
		return ent.IsNotFound(err)
	})
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v", err)
	}
}
