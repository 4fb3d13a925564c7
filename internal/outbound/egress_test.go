package outbound

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/wexio/webhooks/internal/egress"
)

// TestClassifyTheClientsAnswers feeds Classify what the dispatcher's real
// client returns, not errors built by hand: a refused address fails at once
// naming it, and a redirect is a failed attempt, not followed.
func TestClassifyTheClientsAnswers(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/elsewhere", http.StatusFound)
	}))
	t.Cleanup(srv.Close)

	resp, err := egress.NewHTTPClient(false, 5*time.Second).Post(srv.URL, "application/json", strings.NewReader("{}"))
	if err == nil {
		resp.Body.Close()
		t.Fatal("Post reached a blocked address")
	}
	var be *egress.BlockedError
	if !errors.As(err, &be) {
		t.Fatalf("Post error %v is not a *egress.BlockedError", err)
	}
	if d := Classify(0, nil, err, t0, time.Hour); d.Outcome != Failed || d.Reason != be.Error() {
		t.Fatalf("Classify(blocked) = %+v", d)
	}

	resp, err = egress.NewHTTPClient(true, 5*time.Second).Post(srv.URL, "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatalf("Post: %v", err)
	}
	resp.Body.Close()
	if d := Classify(resp.StatusCode, resp.Header, nil, t0, time.Hour); d.Outcome != Retry || d.Reason != "redirect not followed (status 302)" {
		t.Fatalf("Classify(302) = %+v", d)
	}
}
