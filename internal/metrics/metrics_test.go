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
