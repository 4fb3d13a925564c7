package app

import (
	"net/http"
	"testing"
)

// After a rotation the previous shared secret keeps working for graceSeconds;
// with no grace it stops at once.
func TestInboundRotationGrace(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	h := ta.createIn(t, ta.key, map[string]any{})
	rotate := `mutation($id: ID!, $g: Int) { rotateWebhookSecret(id: $id, graceSeconds: $g) { secret } }`
	next := str(ta.ok(t, ta.key, rotate, map[string]any{"id": h.id, "g": 3600}), "rotateWebhookSecret.secret")
	for _, s := range []string{h.secret, next} {
		if r := ta.postJSON(t, inHook{path: h.path, secret: s}, `{}`, nil); r.status != 202 {
			t.Fatalf("secret %q during grace: %d %s", s[len(s)-4:], r.status, r.body)
		}
	}
	last := str(ta.ok(t, ta.key, rotate, map[string]any{"id": h.id, "g": 0}), "rotateWebhookSecret.secret")
	if r := ta.postJSON(t, inHook{path: h.path, secret: next}, `{}`, nil); r.status != 401 {
		t.Fatalf("the previous secret still works with no grace: %d", r.status)
	}
	r := ta.send(t, http.MethodPost, h.path, "application/json", []byte(`{}`), map[string]string{"Authorization": "Bearer " + last})
	if r.status != 202 {
		t.Fatalf("bearer secret: %d %s", r.status, r.body)
	}
	// The webhook is cached by now: a pause still takes effect at once.
	ta.ok(t, ta.key, `mutation($id: ID!) { setWebhookStatus(id: $id, status: PAUSED) { id } }`, map[string]any{"id": h.id})
	if r := ta.postJSON(t, inHook{path: h.path, secret: last}, `{}`, nil); r.status != 503 {
		t.Fatalf("after pausing a cached webhook: %d %s", r.status, r.body)
	}
}
