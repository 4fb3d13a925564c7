package metrics

import (
	"context"
	"errors"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestDueGaugesKeepTheLastReading: scrapes at once read the backlog
// safely (go test -race), and a failed read leaves the gauges at their
// last value instead of dropping to 0.
func TestDueGaugesKeepTheLastReading(t *testing.T) {
	t.Parallel()
	m := New()
	var mu sync.Mutex
	fail := false
	m.Due(func(context.Context) (int, time.Duration, error) {
		mu.Lock()
		defer mu.Unlock()
		if fail {
			return 0, 0, errors.New("database gone")
		}
		return 7, 3 * time.Second, nil
	}, slog.New(slog.DiscardHandler))
	scrape := func() string {
		rec := httptest.NewRecorder()
		m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		return rec.Body.String()
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() { scrape() })
	}
	wg.Wait()
	mu.Lock()
	fail = true
	mu.Unlock()
	text := scrape()
	if !strings.Contains(text, "wexio_outbound_deliveries_due 7\n") || !strings.Contains(text, "wexio_outbound_delivery_lag_seconds 3\n") {
		t.Fatalf("after a failed read:\n%s", text)
	}
}

// TestStandingServesEveryPairAndKeepsTheLastReading: every status and
// health pair is served, zero where no webhook has it, and a failed read
// leaves the last values.
func TestStandingServesEveryPairAndKeepsTheLastReading(t *testing.T) {
	t.Parallel()
	m := New()
	var mu sync.Mutex
	fail := false
	m.Standing(func(context.Context) (Standing, error) {
		mu.Lock()
		defer mu.Unlock()
		if fail {
			return Standing{}, errors.New("database gone")
		}
		return Standing{Webhooks: map[[2]string]int{{"ACTIVE", "FAILING"}: 2, {"PAUSED", "HEALTHY"}: 1}, Held: 40}, nil
	}, slog.New(slog.DiscardHandler))
	scrape := func() string {
		rec := httptest.NewRecorder()
		m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		return rec.Body.String()
	}
	want := []string{
		`wexio_outbound_webhooks{health="FAILING",status="ACTIVE"} 2`,
		`wexio_outbound_webhooks{health="HEALTHY",status="PAUSED"} 1`,
		`wexio_outbound_webhooks{health="HEALTHY",status="ACTIVE"} 0`,
		`wexio_outbound_webhooks{health="FAILING",status="DISABLED"} 0`,
		`wexio_outbound_deliveries_held 40`,
	}
	for _, failed := range []bool{false, true} {
		mu.Lock()
		fail = failed
		mu.Unlock()
		text := scrape()
		for _, w := range want {
			if !strings.Contains(text, w+"\n") {
				t.Fatalf("failed read %v: %q not served in:\n%s", failed, w, text)
			}
		}
		if n := strings.Count(text, "\nwexio_outbound_webhooks{"); n != 6 {
			t.Fatalf("%d webhook series, want the 6 pairs of status and health", n)
		}
	}
}
