package flows

import (
	"context"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent/schema/schematype"
)

// Run wakes on Notify (the poll interval is an hour here), executes the
// run, and returns once its context is cancelled.
func TestRunWakesOnNotifyAndStops(t *testing.T) {
	t.Parallel()
	e := setup(t)
	done := make(chan struct{}, 16)
	e.onFinished(func() { done <- struct{}{} })
	r, err := New(Config{Now: e.clk.Now, PollInterval: time.Hour}, e.deps())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan error, 1)
	go func() { stopped <- r.Run(ctx) }()
	f := e.flow(t, emitStep("a", map[string]any{"id": "{{payload.order.id}}"}))
	for range 3 {
		e.startRun(t, f, e.contact, body)
		r.Notify()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("the run did not execute after Notify")
		}
	}
	cancel()
	if err := <-stopped; err != nil {
		t.Fatal(err)
	}
	runs := e.c.FlowRun.Query().AllX(e.ctx)
	for _, run := range runs {
		if run.Status != schematype.RunSucceeded {
			t.Fatalf("run = %+v", run)
		}
	}
}

func TestNewNeedsDeps(t *testing.T) {
	t.Parallel()
	if _, err := New(Config{}, Deps{}); err == nil {
		t.Fatal("New accepted no Writer")
	}
}

func TestNewRefusesNegativeSettings(t *testing.T) {
	t.Parallel()
	e := setup(t)
	deps := e.deps()
	for _, cfg := range []Config{{RetryDelay: -time.Second}, {MaxRenderBytes: -1}, {Workers: -1}} {
		if _, err := New(cfg, deps); err == nil {
			t.Errorf("New accepted %+v", cfg)
		}
	}
	if _, err := New(Config{}, deps); err != nil {
		t.Fatalf("zero Config (all defaults): %v", err)
	}
}
